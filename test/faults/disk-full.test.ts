import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHarness, origin, type ServiceUnderTest } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { expectOutcome, isDownload } from "./support/exactly-once.ts";
import { advanceUntil, useFakeClock } from "./support/fault-clock.ts";
import { KillableProcess } from "./support/killable-process.ts";

type Harness = Awaited<ReturnType<typeof createHarness>>;

/** Below a device file: creating the directory fails with ENOTDIR, even for root. */
const unwritable = "/dev/null/videos";

describe("fault: the disk refuses the finished video", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await harness?.close();
    harness = undefined;
  });

  async function finished(current: Harness, bot: ServiceUnderTest, prompt: string) {
    const job = await bot.service.submit({ mode: "text", prompt }, origin);
    return {
      jobId: job.id,
      complete: () => current.fake.complete(job.providerJobId ?? ""),
      settled: async () => {
        const state = (await bot.service.getJob(job.id))?.state;
        return state === "delivered" || state === "delivery_failed";
      },
    };
  }

  it("full for a moment (ENOSPC): the save is retried and the video delivered once", async () => {
    harness = await createHarness();
    const bot = await harness.boot();
    const job = await finished(harness, bot, "disk briefly full");
    // The partial file lands on /dev/full: every write fails with "No space left on device".
    const videos = join(harness.directory, "videos");
    mkdirSync(videos, { recursive: true });
    symlinkSync("/dev/full", join(videos, `${job.jobId}.mp4.part`));
    useFakeClock();
    job.complete();
    await advanceUntil(job.settled, { stepMs: 1_000, message: "the delivery" });
    expect((await bot.service.getJob(job.jobId))?.attempts).toBe(1);
    expect(harness.fake.requests.filter(isDownload)).toHaveLength(2);
    await expectOutcome(harness.fake, bot, job.jobId, "delivered");
  });

  it("unwritable for good: after the tries run out the job ends as 'made, not posted' on the card", async () => {
    harness = await createHarness({ videoDirectory: unwritable });
    const bot = await harness.boot();
    const job = await finished(harness, bot, "disk gone");
    useFakeClock();
    job.complete();
    await advanceUntil(job.settled, { stepMs: 10_000, message: "the tries to run out" });
    expect((await bot.service.getJob(job.jobId))?.attempts).toBe(6);
    await expectOutcome(harness.fake, bot, job.jobId, "delivery_failed");
  });

  // Was a bug: a disk failure used to be reported as the chat platform refusing the upload.
  it("unwritable for good: the card says the video could not be saved, not that chat refused it", async () => {
    harness = await createHarness({ videoDirectory: unwritable });
    const bot = await harness.boot();
    const job = await finished(harness, bot, "disk gone, wrong reason");
    useFakeClock();
    job.complete();
    await advanceUntil(job.settled, { stepMs: 10_000, message: "the tries to run out" });
    const error = (await bot.service.getJob(job.jobId))?.error ?? "";
    expect(error).not.toMatch(/chat platform/);
    expect(error).toMatch(/sav|disk|space/i);
  });

  // Was a bug: refusing a download by its Content-Length destroyed undici's body with no 'error'
  // listener, and the unhandled UND_ERR_ABORTED killed the bot.
  it("a video over MAX_VIDEO_BYTES: the bot stays up, refuses it once and the card says why", async () => {
    harness = await createHarness();
    const bot = new KillableProcess({
      directory: harness.directory,
      baseUrl: harness.fake.baseUrl,
      apiKey: harness.fake.apiKey,
      prompt: "too big to keep",
      upload: "record",
      maxVideoBytes: 1_000,
    });
    try {
      const submitted = await bot.reached("submitted");
      await harness.fake.waitForSseClients(1);
      harness.fake.complete(submitted.providerJobId ?? "");
      await waitUntil(
        () => !bot.alive || bot.events.some((event) => event.state === "delivery_failed"),
        { message: "the refusal, or the process to end" },
      );
      expect(bot.stderr).toBe("");
      expect(bot.alive).toBe(true);
    } finally {
      await bot.kill();
    }
  });
});
