import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../fakes/fake-slack.ts";
import { slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { oversizeVideoFixture } from "../../support/test-videos.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, completedUploads, waitForJob } from "./slack-views.ts";

// A 100 KB limit: the noisy 4 s clip cannot fit at a watchable bitrate, so it goes out as a link.
const limit = 100_000;
const jpegStart = Buffer.from([0xff, 0xd8, 0xff]);
const fixture = oversizeVideoFixture("slack-posters-");
let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function linkOnlyDelivery(posterLinks: boolean) {
  const fake = await FakeSlack.start();
  fake.maxUploadBytes = limit;
  bot = await startSlackBot({
    fake,
    videoPath: fixture.video,
    uploadLimitBytes: limit,
    posterLinks,
    videoLink: (job) => `https://bot.example.com/videos/${job.id}?signature=abc`,
  });
  await fake.send("command", slashCommand(fake, bot.alice, "/video", "a noisy test card"));
  const job = await waitForJob(
    bot.store,
    (candidate) => candidate.state === "delivered",
    "delivered",
  );
  const replies = fake.messages.filter(
    (message) =>
      message.user === fake.botUserId &&
      message.thread_ts === cardOf(fake, job.id)?.ts &&
      JSON.stringify(message).includes("bot.example.com/videos"),
  );
  return { fake, job, replies };
}

describe("Slack: link-only deliveries show the poster", () => {
  it("with a public poster link, the link message has an image block whose URL serves the JPEG", async () => {
    const { fake, job, replies } = await linkOnlyDelivery(true);
    expect(completedUploads(fake)).toEqual([]);
    expect(replies).toHaveLength(1);
    const blocks = (replies[0]?.blocks ?? []) as Array<{ type: string; image_url?: string }>;
    const images = blocks.filter((block) => block.type === "image");
    expect(images).toHaveLength(1);
    const url = images[0]?.image_url ?? "";
    expect(url.startsWith(`${bot?.baseUrl}/posters/${job.id}?`)).toBe(true);
    const response = await request(url);
    expect(response.statusCode).toBe(200);
    const bytes = Buffer.from(await response.body.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(jpegStart);
    expect(JSON.stringify(blocks)).toContain("so here is a link instead.");
    expect(JSON.stringify(blocks)).not.toContain("link instead, so here is a link instead");
  });

  it("without a public poster link, the poster JPEG is uploaded once in the thread with the link", async () => {
    const { fake, job, replies } = await linkOnlyDelivery(false);
    const uploads = completedUploads(fake);
    expect(uploads).toHaveLength(1);
    expect(replies).toHaveLength(1);
    const [upload] = uploads;
    expect(upload?.threadTs).toBe(cardOf(fake, job.id)?.ts);
    expect(fake.uploadedBytes(upload?.fileId ?? "")?.subarray(0, 3)).toEqual(jpegStart);
    expect(upload?.comment).toContain(
      `<https://bot.example.com/videos/${job.id}?signature=abc|⬇️ Download the video>`,
    );
    expect(upload?.comment).toContain("so here is a link instead.");
    expect(upload?.comment).toContain(`Job \`${job.id}\``);
  });
});

describe("Slack /jobs: a gallery of the user's recent results", () => {
  it("with public poster links, each finished result's section has its poster as the image accessory", async () => {
    const fake = await FakeSlack.start();
    bot = await startSlackBot({ fake, posterLinks: true });
    await fake.send("command", slashCommand(fake, bot.alice, "/video", "a lighthouse at night"));
    const job = await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "done");

    await fake.send("command", slashCommand(fake, bot.alice, "/jobs", ""));
    const answers = () => fake.calls.filter((call) => call.kind === "respond");
    await waitUntil(() => answers().length === 1, { message: "the /jobs answer" });
    const answer = answers()[0]?.fields ?? {};
    expect(String(answer.text)).toContain(`\`${job.id}\``);
    const blocks = answer.blocks as Array<{
      text?: { text?: string };
      accessory?: { type: string; image_url: string };
    }>;
    expect(blocks).toHaveLength(2);
    expect(blocks[1]?.text?.text).toContain("a lighthouse at night");
    expect(blocks[1]?.accessory?.type).toBe("image");
    const url = blocks[1]?.accessory?.image_url ?? "";
    expect(url.startsWith(`${bot.baseUrl}/posters/${job.id}?`)).toBe(true);
    const response = await request(url);
    expect(Buffer.from(await response.body.arrayBuffer()).subarray(0, 3)).toEqual(jpegStart);
  });

  it("without public poster links, /jobs is the list alone", async () => {
    const fake = await FakeSlack.start();
    bot = await startSlackBot({ fake });
    await fake.send("command", slashCommand(fake, bot.alice, "/video", "a lighthouse at night"));
    await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "done");
    await fake.send("command", slashCommand(fake, bot.alice, "/jobs", ""));
    const answers = () => fake.calls.filter((call) => call.kind === "respond");
    await waitUntil(() => answers().length === 1, { message: "the /jobs answer" });
    expect(answers()[0]?.fields.blocks).toBeUndefined();
  });
});
