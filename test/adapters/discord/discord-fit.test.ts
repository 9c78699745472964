import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../../fakes/fake-discord.ts";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { decodeWhole, oversizeVideoFixture, probeFile } from "../../support/test-videos.ts";
import {
  type Bot,
  channelPosts,
  jsonOf,
  startBot,
  uploads,
  waitForJob,
} from "./discord-harness.ts";

const limit = 1024 * 1024;
const fixture = oversizeVideoFixture("discord-fit-");
let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const videoLink = (job: { id: string }) => `https://bot.example/videos/${job.id}?signature=abc`;

describe("Discord: videos that fit the upload limit", () => {
  it("a video over the channel's limit arrives once, re-encoded under the limit, with the original's link", async () => {
    expect((await stat(fixture.video)).size).toBeGreaterThan(3 * limit);
    const fake = await FakeDiscord.start({ maxUploadBytes: limit });
    bot = await startBot({ fake, videoPath: fixture.video, videoLink });
    slashCommand(
      fake,
      "video",
      { prompt: "a noisy test card" },
      {
        user: bot.alice,
        attachmentSizeLimit: limit,
        inThread: true,
      },
    );
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivery",
    );

    const posted = uploads(fake);
    expect(posted).toHaveLength(1);
    const [upload] = posted;
    expect(upload?.path).toBe(`/channels/${fake.threadId}/messages`);
    expect(upload?.status).toBe(200);
    const file = upload?.files[0];
    expect(file?.bytes.length).toBeLessThanOrEqual(limit);
    expect(file?.bytes.length).toBeGreaterThan(limit / 2);
    const copy = join(fixture.directory, "received.mp4");
    await writeFile(copy, file?.bytes ?? Buffer.alloc(0));
    const facts = await probeFile(copy);
    expect(facts.streams.map((stream) => stream.codec_name).sort()).toEqual(["aac", "h264"]);
    expect(facts.format.duration).toBeCloseTo(4, 0);
    await decodeWhole(copy);
    expect(String(jsonOf(upload ?? ({} as never)).content)).toMatch(
      new RegExp(
        `-# Made smaller to fit the 1 MB upload limit here \\(\\d+(\\.\\d)? MB → \\d+ KB\\)\\. Original: <https://bot\\.example/videos/${job.id}\\?signature=abc>$`,
      ),
    );
  });

  it("a video that cannot fit at a watchable bitrate is posted as a link with its poster", async () => {
    const fake = await FakeDiscord.start();
    bot = await startBot({ fake, videoPath: fixture.video, videoLink });
    slashCommand(
      fake,
      "video",
      { prompt: "a noisy test card" },
      {
        user: bot.alice,
        attachmentSizeLimit: 100_000,
      },
    );
    await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "delivery");

    expect(uploads(fake)).toEqual([]);
    const posts = channelPosts(fake).filter((post) =>
      String(jsonOf(post).content).includes("bot.example"),
    );
    expect(posts).toHaveLength(1);
    const body = jsonOf(posts[0] ?? ({} as never));
    expect(String(body.content)).toContain(
      "MB, over the 98 KB upload limit here, and at 4 s a copy that fits would get about 124 kb/s",
    );
    expect(String(body.content)).toMatch(
      /below the 300 kb\/s that stays watchable, so here is a link instead\.$/,
    );
    const poster = posts[0]?.files[0];
    expect(poster?.contentType).toBe("image/jpeg");
    expect(poster?.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(body.embeds).toEqual([{ image: { url: `attachment://${poster?.name}` } }]);
  });

  it("without ffmpeg, the link says the bot has no ffmpeg to make a smaller copy", async () => {
    const fake = await FakeDiscord.start();
    bot = await startBot({ fake, videoPath: fixture.video, videoLink, ffmpegPath: null });
    slashCommand(
      fake,
      "video",
      { prompt: "a noisy test card" },
      {
        user: bot.alice,
        attachmentSizeLimit: limit,
      },
    );
    await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "delivery");
    expect(uploads(fake)).toEqual([]);
    const post = channelPosts(fake).find((call) =>
      String(jsonOf(call).content).includes("bot.example"),
    );
    expect(String(jsonOf(post ?? ({} as never)).content)).toContain(
      "over the 1 MB upload limit here, and this bot has no ffmpeg installed (its operator can add it: see the README) to make a smaller copy, so here is a link instead.",
    );
    expect(post?.files).toEqual([]);
  });
});
