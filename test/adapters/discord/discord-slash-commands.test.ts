import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { autocomplete, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  ephemeralTexts,
  jsonOf,
  sampleVideo,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

describe("Discord slash commands (real discord.js against a loopback Discord)", () => {
  it("/video: deferred before the provider call, the right model and parameters, then the MP4 in the channel mentioning the user once", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const { id } = slashCommand(
      fake,
      "video",
      {
        prompt: "a fox in snow --ar 9:16 --seed 7",
        duration: 8,
        resolution: "720p",
        fast: true,
        audio: false,
      },
      { user: alice },
    );

    const callback = await callbackOf(fake, id);
    expect(jsonOf(callback)).toMatchObject({ type: 5 });
    const [upload] = await waitForUploads(fake, 1);
    if (!upload) throw new Error("no upload");

    expect(bot.provider.submits).toHaveLength(1);
    expect(callback.at).toBeLessThanOrEqual(bot.provider.submittedAt[0] ?? 0);
    expect(bot.provider.submits[0]).toMatchObject({
      model: { id: "bytedance-seedance-2-0-fast-text-to-video" },
      request: {
        mode: "text",
        tier: "fast",
        prompt: "a fox in snow",
        aspectRatio: "9:16",
        duration: 8,
        resolution: "720p",
        seed: 7,
        generateAudio: false,
      },
    });
    expect(upload.path).toBe(`/channels/${fake.channelId}/messages`);
    expect(upload.files.map((file) => file.field)).toEqual(["files[0]"]);
    expect(upload.files[0]?.bytes.equals(await readFile(sampleVideo))).toBe(true);
    const body = jsonOf(upload);
    expect(String(body.content).match(/<@!?\d+>/g)).toEqual([`<@${alice.id}>`]);
    expect(body.allowed_mentions).toEqual({ users: [alice.id], parse: [], replied_user: false });
    // The result answers the interaction's message, which became the status card.
    const interaction = fake.interactions.get(`token-${id}`);
    expect(body.message_reference).toMatchObject({ message_id: interaction?.originalMessageId });
    await waitUntil(() => cardTitle(fake, interaction?.originalMessageId ?? "") === "✅ Done");
    expect(uploads(fake)).toHaveLength(1);
  });

  it("/animate in a thread: image and end frame go to the image model; the video lands in the thread", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const image = fake.attachment("start.png", png, "image/png");
    const end = fake.attachment("end.png", png, "image/png");
    const { id } = slashCommand(
      fake,
      "animate",
      { image, end_image: end, prompt: "the flower blooms", has_face: true, duration: -1 },
      { user: alice, inThread: true },
    );

    expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });
    const [upload] = await waitForUploads(fake, 1);
    expect(upload?.path).toBe(`/channels/${fake.threadId}/messages`);
    expect(bot.provider.submits[0]).toMatchObject({
      model: { id: "bytedance-seedance-2-0-image-to-video" },
      request: {
        mode: "image",
        duration: -1,
        startImage: {
          url: image.url,
          contentType: "image/png",
          sizeBytes: png.length,
          hasFace: true,
        },
        endImage: { url: end.url, hasFace: true },
      },
    });
    const job = await waitForJob(bot.store, () => true, "the job");
    expect(job.origin).toMatchObject({
      channelId: fake.channelId,
      threadId: fake.threadId,
      userId: alice.id,
    });
  });

  it("/reference: uploads become @Image1, @Video1, and the card says which is which", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const image1 = fake.attachment("cat.png", png, "image/png");
    const video1 = fake.attachment("dance.mp4", Buffer.alloc(64), "video/mp4");
    const { id } = slashCommand(
      fake,
      "reference",
      { prompt: "@Image1 dances like @Video1", image1, video1 },
      { user: alice },
    );

    await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]).toMatchObject({
      model: { id: "bytedance-seedance-2-0-reference-to-video" },
      request: {
        mode: "reference",
        referenceImages: [{ url: image1.url }],
        referenceVideos: [{ url: video1.url }],
      },
    });
    const card = fake.messages.get(fake.interactions.get(`token-${id}`)?.originalMessageId ?? "");
    const inputs = card?.embeds[0]?.fields?.find((field) => field.name === "Inputs");
    expect(inputs?.value).toBe("@Image1: cat.png\n@Video1: dance.mp4");
  });

  it("/jobs lists the user's jobs privately; /cancel suggests pending jobs and cancels at the provider", async () => {
    bot = await startBot({ delayMs: 60_000 });
    const { fake, alice, bob } = bot;
    const first = slashCommand(fake, "video", { prompt: "a slow sunrise" }, { user: alice });
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "queued" || candidate.state === "running",
      "a pending job",
    );

    const suggestions = autocomplete(fake, "cancel", "job", "sunrise", { user: alice });
    expect(jsonOf(await callbackOf(fake, suggestions.id))).toEqual({
      type: 8,
      data: { choices: [{ name: `a slow sunrise (${job.state})`, value: job.id }] },
    });
    const othersSuggestions = autocomplete(fake, "cancel", "job", "", { user: bob });
    expect(jsonOf(await callbackOf(fake, othersSuggestions.id))).toEqual({
      type: 8,
      data: { choices: [] },
    });

    const list = slashCommand(fake, "jobs", {}, { user: alice });
    expect(jsonOf(await callbackOf(fake, list.id))).toMatchObject({ type: 5, data: { flags: 64 } });
    const listed = await fake.waitForCall(
      (call) => call.method === "PATCH" && call.path.includes(`token-${list.id}`),
    );
    expect(String(jsonOf(listed).content)).toContain(`\`${job.id}\``);
    expect(String(jsonOf(listed).content)).toContain("a slow sunrise");

    const refused = slashCommand(fake, "cancel", { job: job.id }, { user: bob });
    await fake.waitForCall(
      (call) => call.method === "PATCH" && call.path.includes(`token-${refused.id}`),
    );
    expect(jsonOf(await callbackOf(fake, refused.id))).toMatchObject({
      type: 5,
      data: { flags: 64 },
    });
    expect(bot.provider.cancels).toEqual([]);

    const cancel = slashCommand(fake, "cancel", { job: job.id }, { user: alice });
    const done = await fake.waitForCall(
      (call) => call.method === "PATCH" && call.path.includes(`token-${cancel.id}`),
    );
    expect(String(jsonOf(done).content)).toContain(`Cancelled job \`${job.id}\``);
    expect(bot.provider.cancels).toEqual([job.providerJobId]);
    const cardId = fake.interactions.get(`token-${first.id}`)?.originalMessageId ?? "";
    await waitUntil(() => cardTitle(fake, cardId) === "🚫 Cancelled", {
      message: "the card to say cancelled",
    });
    const refusal = fake.callsTo("PATCH", new RegExp(`token-${refused.id}`));
    expect(refusal.map((call) => jsonOf(call).content)).toEqual([
      expect.stringMatching(/Only the person who asked/),
    ]);
  });

  it.each([
    [
      "an unknown flag",
      "video",
      { prompt: "a fox --motion 3" },
      /Unknown flag --motion; valid flags are --ar/,
    ],
    [
      "a duration out of range",
      "video",
      { prompt: "a fox", duration: 30 },
      /Duration 30 is out of range; use 4–15 seconds/,
    ],
    [
      "1080p on the fast tier",
      "video",
      { prompt: "a fox", resolution: "1080p", fast: true },
      /resolution 1080p is not available on the fast tier/i,
    ],
    [
      "a reference without files",
      "reference",
      { prompt: "@Image1 waves" },
      /needs at least one image or video/,
    ],
  ])(
    "refuses %s with a private message naming field, value and range, and makes no job",
    async (_name, command, options, pattern) => {
      bot = await startBot();
      const { fake, alice } = bot;
      const { id } = slashCommand(fake, command, options, { user: alice });
      const callback = await callbackOf(fake, id);
      expect(jsonOf(callback)).toMatchObject({ type: 4, data: { flags: 64 } });
      expect(ephemeralTexts(fake.calls)).toEqual([expect.stringMatching(pattern)]);
      expect(bot.provider.submits).toEqual([]);
      expect(await bot.store.listByUser("discord", alice.id, 10)).toEqual([]);
    },
  );

  it("refuses a video given as the /animate image, by its name and type", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const clip = fake.attachment("clip.mp4", Buffer.alloc(10), "video/mp4");
    const { id } = slashCommand(fake, "animate", { image: clip, prompt: "go" }, { user: alice });
    await callbackOf(fake, id);
    expect(ephemeralTexts(fake.calls)).toEqual([
      expect.stringMatching(/Image 1 \(clip\.mp4\) is video\/mp4; use image\/jpeg/),
    ]);
    expect(bot.provider.submits).toEqual([]);
  });
});
