import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, origin, type ServiceUnderTest } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { expectOutcome, isDownload } from "./support/exactly-once.ts";

function completedEvent(data: Record<string, unknown>): string {
  return `event: media_generation_completed\ndata: ${JSON.stringify(data)}\n\n`;
}

describe("fault: the provider sends an event twice, late, or about someone else's job", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  let bot: ServiceUnderTest;

  beforeEach(async () => {
    harness = await createHarness();
    bot = await harness.boot();
  });
  afterEach(async () => {
    await harness.close();
  });

  const delivered = (jobId: string) => async () =>
    (await bot.service.getJob(jobId))?.state === "delivered";

  async function submit(prompt: string) {
    const job = await bot.service.submit({ mode: "text", prompt }, origin);
    await harness.fake.waitForSseClients(1);
    return { jobId: job.id, providerJobId: job.providerJobId ?? "" };
  }

  it("the same completion before, during and after the delivery: one download, one video", async () => {
    const { jobId, providerJobId } = await submit("three times");
    harness.fake.complete(providerJobId);
    harness.fake.complete(providerJobId);
    await waitUntil(delivered(jobId));
    harness.fake.complete(providerJobId);
    await waitUntil(async () => (await bot.service.getJob(jobId))?.deliveredAt !== undefined);
    expect(harness.fake.requests.filter(isDownload)).toHaveLength(1);
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("the same event twice in one chunk of the stream", async () => {
    const { jobId, providerJobId } = await submit("twice in a chunk");
    harness.fake.complete(providerJobId, { emit: false });
    const event = completedEvent({
      generation_id: providerJobId,
      status: "succeeded",
      media_type: "video",
      url: harness.fake.resultUrlFor(providerJobId),
    });
    harness.fake.emitRaw(event + event);
    await waitUntil(delivered(jobId));
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("a 'failed' event arriving after the success: ignored, the video is still delivered once", async () => {
    const { jobId, providerJobId } = await submit("late failure");
    harness.fake.complete(providerJobId);
    harness.fake.emitRaw(
      completedEvent({ generation_id: providerJobId, status: "failed", error: "stale" }),
    );
    await waitUntil(delivered(jobId));
    expect((await bot.service.getJob(jobId))?.error).toBeUndefined();
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("events about a generation that is not ours change nothing; ours still arrives once", async () => {
    const { jobId, providerJobId } = await submit("not yours");
    const stranger = harness.fake.addJob("bytedance-seedance-2-0-text-to-video", { prompt: "x" });
    harness.fake.complete(stranger.id);
    harness.fake.complete(stranger.id);
    harness.fake.complete(providerJobId);
    await waitUntil(delivered(jobId));
    expect(bot.adapter.deliveries).toHaveLength(1);
    expect(harness.requestsAbout(stranger.id)).toHaveLength(0);
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });
});
