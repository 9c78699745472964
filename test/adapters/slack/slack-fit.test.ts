import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeSlack } from "../../fakes/fake-slack.ts";
import { slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { decodeWhole, oversizeVideoFixture, probeFile } from "../../support/test-videos.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, completedUploads, waitForJob } from "./slack-views.ts";

const limit = 1024 * 1024;
const fixture = oversizeVideoFixture("slack-fit-");
let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack: videos that fit the file limit", () => {
  it("a video over the workspace's limit is uploaded once, re-encoded under it, in the card's thread, with the original's link", async () => {
    const fake = await FakeSlack.start();
    fake.maxUploadBytes = limit;
    bot = await startSlackBot({
      fake,
      videoPath: fixture.video,
      uploadLimitBytes: limit,
      videoLink: (job) => `https://bot.example.com/videos/${job.id}?signature=abc`,
    });
    await fake.send("command", slashCommand(fake, bot.alice, "/video", "a noisy test card"));
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );

    const uploads = completedUploads(fake);
    expect(uploads).toHaveLength(1);
    const [upload] = uploads;
    expect(upload?.threadTs).toBe(cardOf(fake, job.id)?.ts);
    const bytes = fake.uploadedBytes(upload?.fileId ?? "") ?? Buffer.alloc(0);
    expect(bytes.length).toBeLessThanOrEqual(limit);
    expect(bytes.length).toBeGreaterThan(limit / 2);
    const copy = join(fixture.directory, "received.mp4");
    await writeFile(copy, bytes);
    const facts = await probeFile(copy);
    expect(facts.streams.map((stream) => stream.codec_name).sort()).toEqual(["aac", "h264"]);
    await decodeWhole(copy);
    expect(upload?.comment).toContain(`Made smaller to fit the 1 MB upload limit here (`);
    expect(upload?.comment).toContain(
      `<https://bot.example.com/videos/${job.id}?signature=abc|Download the original>`,
    );
    expect(
      fake.callsTo("files.getUploadURLExternal").map((call) => Number(call.fields.length)),
    ).toEqual([bytes.length]);
  });
});
