import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIMessage } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import {
  buttonClick,
  modalSubmit,
  slashCommand,
  userMessage,
} from "../../fakes/fake-discord-payloads.ts";
import { dataUriBytes, lastFrameBytes, probeDuration } from "../../support/media-probe.ts";
import {
  type Bot,
  callbackOf,
  ephemeralTexts,
  jsonOf,
  sampleVideo,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function start(options: Parameters<typeof startBot>[0] = {}): Promise<Bot> {
  const bot = await startBot(options);
  bots.push(bot);
  return bot;
}

const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

describe("Discord: Loop", () => {
  it("/animate loop:true and a mention with --loop send the start image as the end frame too", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const image = fake.attachment("start.png", png, "image/png");
    slashCommand(fake, "animate", { image, prompt: "waves roll in", loop: true }, { user: alice });
    await waitForUploads(fake, 1);
    const [fromCommand] = bot.provider.submits;
    expect(fromCommand?.request.startImage?.url).toBe(image.url);
    expect(fromCommand?.request.endImage).toEqual(fromCommand?.request.startImage);

    const attached = fake.attachment("boat.png", png, "image/png");
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a boat bobs --loop`,
      mentionsBot: true,
      attachments: [attached],
    });
    await waitForUploads(fake, 2);
    const fromMessage = bot.provider.submits[1]?.request;
    expect(fromMessage?.prompt).toBe("a boat bobs");
    expect(fromMessage?.startImage?.url).toBe(attached.url);
    expect(fromMessage?.endImage?.url).toBe(attached.url);
    const job = await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "done");
    expect(job.request.endImage?.url).toBe(job.request.startImage?.url);
  });

  it("refuses --loop without a start image, and with an end image, before anything is sent", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const first = slashCommand(fake, "video", { prompt: "a spinning top --loop" }, { user: alice });
    await callbackOf(fake, first.id);
    const image = fake.attachment("start.png", png, "image/png");
    const end = fake.attachment("end.png", png, "image/png");
    const second = slashCommand(
      fake,
      "animate",
      { image, end_image: end, prompt: "go", loop: true },
      { user: alice },
    );
    await callbackOf(fake, second.id);
    expect(ephemeralTexts(fake.calls)).toEqual([
      expect.stringMatching(/--loop needs a start image/),
      expect.stringMatching(
        /--loop uses the start image as the end frame.*leave out the end image/,
      ),
    ]);
    expect(bot.provider.submits).toEqual([]);
  });
});

/** The bot's messages carrying a video, in the order they were posted. */
function resultMessages(fake: FakeDiscord): APIMessage[] {
  return [...fake.messages.values()].filter(
    (message) =>
      message.author.id === fake.botUser.id &&
      message.attachments.some((file) => file.filename.endsWith(".mp4")),
  );
}

function customIdsOf(message: APIMessage | undefined): string[] {
  const rows = (message?.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
  return rows.flatMap((row) => row.components.map((component) => component.custom_id));
}

async function extendFrom(bot: Bot, result: APIMessage, jobId: string, text: string) {
  const { fake, alice } = bot;
  const click = buttonClick(fake, `extend:${jobId}`, result, { user: alice });
  const form = jsonOf(await callbackOf(fake, click.id));
  const submitted = modalSubmit(fake, `extend:${jobId}`, { prompt: text }, { user: alice });
  expect(jsonOf(await callbackOf(fake, submitted.id))).toMatchObject({ type: 5 });
  return form;
}

describe("Discord: Extend and Stitch", () => {
  it("Extend → Extend → Stitch: each clip starts from the last frame of the one before, then one MP4 of the summed length, free", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a lighthouse at dusk" }, { user: alice });
    await waitForUploads(fake, 1);
    const first = await waitForJob(bot.store, (job) => job.state === "delivered", "the first clip");
    const [firstResult] = resultMessages(fake);
    expect(customIdsOf(firstResult)).toEqual([
      `regenerate:${first.id}`,
      `remix:${first.id}`,
      `extend:${first.id}`,
      `upscale:${first.id}`,
    ]);

    const form = await extendFrom(bot, firstResult as APIMessage, first.id, "the storm arrives");
    expect(form).toMatchObject({
      type: 9,
      data: { custom_id: `extend:${first.id}`, title: "Extend" },
    });
    expect(JSON.stringify(form)).toContain("a lighthouse at dusk");
    const [, secondUpload] = await waitForUploads(fake, 2);
    const second = await waitForJob(
      bot.store,
      (job) => job.extendsJobId === first.id && job.state === "delivered",
      "the extension",
    );
    expect(second.parentJobId).toBe(first.id);
    const submitted = bot.provider.submits[1]?.request;
    expect(submitted).toMatchObject({ mode: "image", prompt: "the storm arrives" });
    expect(dataUriBytes(submitted?.startImage?.url ?? "")).toEqual(lastFrameBytes(sampleVideo));
    expect(secondUpload?.path).toBe(uploads(fake)[0]?.path);

    const secondResult = resultMessages(fake)[1] as APIMessage;
    expect(customIdsOf(secondResult)).toContain(`stitch:${second.id}`);
    await extendFrom(bot, secondResult, second.id, "the lamp goes out");
    await waitForUploads(fake, 3);
    const third = await waitForJob(
      bot.store,
      (job) => job.extendsJobId === second.id && job.state === "delivered",
      "the second extension",
    );

    const stitchClick = buttonClick(
      fake,
      `stitch:${third.id}`,
      resultMessages(fake)[2] as APIMessage,
      { user: alice },
    );
    expect(jsonOf(await callbackOf(fake, stitchClick.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 4);
    const stitched = await waitForJob(
      bot.store,
      (job) => job.stitchOf !== undefined && job.state === "delivered",
      "the stitched video",
    );
    expect(stitched.stitchOf).toEqual([first.id, second.id, third.id]);
    expect(uploads(fake)).toHaveLength(4);
    expect(bot.provider.submits).toHaveLength(3);
    const file = join(tmpdir(), `stitched-${stitched.id}.mp4`);
    await writeFile(file, uploads(fake)[3]?.files[0]?.bytes ?? Buffer.alloc(0));
    expect(probeDuration(file)).toBeCloseTo(3 * probeDuration(sampleVideo), 1);
    expect((await bot.service.usage("discord", alice.id)).user.seconds).toBe(3 * 15);
  });

  it("Stitch on a clip that was never extended is refused in words and posts nothing", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a kite" }, { user: alice });
    await waitForUploads(fake, 1);
    const first = await waitForJob(bot.store, (job) => job.state === "delivered", "the clip");
    const click = buttonClick(fake, `stitch:${first.id}`, resultMessages(fake)[0] as APIMessage, {
      user: alice,
    });
    await callbackOf(fake, click.id);
    await fake.waitForCall(
      (call) => ephemeralTexts([call]).some((text) => /Stitch joins a chain/.test(text)),
      { description: "the refusal" },
    );
    expect(uploads(fake)).toHaveLength(1);
  });

  it("without ffmpeg, Extend says so in words and nothing reaches the provider", async () => {
    const bot = await start({ ffmpegPath: null });
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a kite" }, { user: alice });
    await waitForUploads(fake, 1);
    const first = await waitForJob(bot.store, (job) => job.state === "delivered", "the clip");
    await extendFrom(bot, resultMessages(fake)[0] as APIMessage, first.id, "it flies away");
    await fake.waitForCall(
      (call) => ephemeralTexts([call]).some((text) => /Extend .*needs ffmpeg/.test(text)),
      { description: "the refusal" },
    );
    expect(bot.provider.submits).toHaveLength(1);
  });
});
