import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, origin, type ServiceUnderTest } from "../support/service-harness.ts";
import { expectOutcome, isList } from "./support/exactly-once.ts";
import { advanceUntil, useFakeClock } from "./support/fault-clock.ts";

describe("fault: the provider's event stream drops or stalls", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  let bot: ServiceUnderTest;

  beforeEach(async () => {
    // The slow sweep is far away: only the stream's own recovery can find what was missed.
    harness = await createHarness({ sweepIntervalMs: 30 * 60_000 });
    bot = await harness.boot();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  const connections = () => harness.fake.sseConnectionsOpened();
  const delivered = (jobId: string) => async () =>
    (await bot.service.getJob(jobId))?.state === "delivered";

  async function submit(prompt: string) {
    const job = await bot.service.submit({ mode: "text", prompt }, origin);
    return { jobId: job.id, providerJobId: job.providerJobId ?? "" };
  }

  it("dropped, with the completion sent while it was down: the reconnect's sweep finds it", async () => {
    const { jobId, providerJobId } = await submit("missed while dropped");
    useFakeClock();
    const before = connections();
    harness.fake.dropStreams();
    harness.fake.complete(providerJobId);
    await advanceUntil(delivered(jobId), { stepMs: 500, message: "delivery" });
    expect(connections()).toBeGreaterThan(before);
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("dropped, with nothing missed: the completion after the reconnect is delivered once", async () => {
    const { jobId, providerJobId } = await submit("nothing missed");
    useFakeClock();
    const before = connections();
    harness.fake.dropStreams();
    await advanceUntil(() => harness.fake.sseClientCount() === 1 && connections() > before, {
      stepMs: 500,
      message: "the reconnect",
    });
    // The event and a second sweep race for the same job; one delivery wins.
    harness.fake.complete(providerJobId);
    harness.fake.dropStreams();
    await advanceUntil(delivered(jobId), { stepMs: 500, message: "delivery" });
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("stalled (open but silent), with the completion lost: the idle watchdog reconnects and the sweep finds it", async () => {
    useFakeClock();
    const { jobId, providerJobId } = await submit("lost in a stall");
    // Reconnect under the fake clock, so the new connection's watchdog runs on it.
    harness.fake.setStreamMode("stall");
    harness.fake.dropStreams();
    await advanceUntil(() => harness.fake.sseClientCount() === 1, { stepMs: 500 });
    const stalledAt = connections();
    harness.fake.complete(providerJobId);
    const lists = harness.fake.requests.filter(isList).length;
    const waited = await advanceUntil(delivered(jobId), { stepMs: 5_000, message: "delivery" });
    expect(waited).toBeGreaterThanOrEqual(45_000);
    expect(connections()).toBeGreaterThan(stalledAt);
    expect(harness.fake.requests.filter(isList).length).toBeGreaterThan(lists);
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("stalled, then flowing again with nothing missed: the completion is delivered once", async () => {
    useFakeClock();
    const { jobId, providerJobId } = await submit("stall without loss");
    harness.fake.setStreamMode("stall");
    harness.fake.dropStreams();
    await advanceUntil(() => harness.fake.sseClientCount() === 1, { stepMs: 500 });
    const stalledAt = connections();
    await advanceUntil(() => connections() > stalledAt, { stepMs: 5_000, message: "a reconnect" });
    harness.fake.setStreamMode("normal");
    await advanceUntil(() => harness.fake.sseClientCount() === 1, { stepMs: 500 });
    harness.fake.complete(providerJobId);
    await advanceUntil(delivered(jobId), { stepMs: 500, message: "delivery" });
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });

  it("alive on keep-alives but losing events: the slow sweep finds the completion", async () => {
    await harness.close();
    harness = await createHarness({ sweepIntervalMs: 60_000 });
    bot = await harness.boot();
    useFakeClock();
    const { jobId, providerJobId } = await submit("events vanish");
    harness.fake.setStreamMode("keepAliveOnly");
    harness.fake.complete(providerJobId);
    const before = connections();
    const waited = await advanceUntil(
      async () => {
        harness.fake.sendKeepAlive();
        return await delivered(jobId)();
      },
      { stepMs: 5_000, message: "delivery by the slow sweep" },
    );
    expect(waited).toBeGreaterThanOrEqual(55_000);
    expect(connections()).toBe(before);
    await expectOutcome(harness.fake, bot, jobId, "delivered");
  });
});
