import { afterEach, describe, expect, it, vi } from "vitest";
import {
  dialects,
  type ProviderUnderTest,
  providerAgainstFake,
  submitInput,
  usePollerFakeTimers,
} from "./unified-task-test-helpers.ts";

describe.each(dialects)("%s polling", (dialect) => {
  let subject: ProviderUnderTest;
  const label = dialect === "aihubmax" ? "AIHubMax" : "EvoLink";

  async function setUp(options: Parameters<typeof providerAgainstFake>[1] = {}) {
    subject = await providerAgainstFake(dialect, options);
    usePollerFakeTimers();
  }
  const submit = async (input = {}) =>
    (await subject.provider.submit(submitInput(dialect, input))).providerJobId;
  const reads = () => subject.fake.reads().length;
  const updatesFor = (id: string) =>
    subject.listener.updates.filter((update) => update.providerJobId === id);
  /** Moves the clock, then lets the reads it started finish on the real event loop. */
  async function advance(milliseconds: number) {
    await vi.advanceTimersByTimeAsync(milliseconds);
    await subject.provider.idle();
  }

  afterEach(async () => {
    vi.useRealTimers();
    await subject.close();
  });

  it("reads every pending task in one wake-up, first when the estimate suggests", async () => {
    await setUp();
    const ids = [await submit(), await submit(), await submit(), await submit()];
    // estimated_time 165 s: a quarter of what remains, capped at 20 s.
    await advance(19_000);
    expect(reads()).toBe(0);
    await advance(1_000);
    expect(
      subject.fake
        .reads()
        .map((request) => request.pathname)
        .sort(),
    ).toEqual(ids.map((id) => `/v1/tasks/${id}`).sort());
    expect(subject.provider.isConnected()).toBe(true);
  });

  it("polls short tasks often and shows progress with an ETA", async () => {
    await setUp({ fake: { estimatedTime: 20 } });
    const id = await submit();
    subject.fake.setProgress(id, 40);
    await advance(5_000);
    expect(updatesFor(id)).toEqual([
      { providerJobId: id, state: "running", progress: 40, etaSeconds: 15 },
    ]);
    await advance(5_000);
    expect(updatesFor(id)).toHaveLength(1);
    subject.fake.setProgress(id, 75);
    await advance(5_000);
    expect(updatesFor(id)[1]).toMatchObject({ state: "running", progress: 75, etaSeconds: 5 });
  });

  it("keeps waiting on 'completed' without results, then reports the URL once it is there", async () => {
    await setUp({ fake: { estimatedTime: 20 } });
    const id = await submit();
    await subject.fake.complete(id, { results: "empty" });
    await advance(5_000);
    expect(updatesFor(id)[0]).toMatchObject({ state: "running", progress: 50 });
    await subject.fake.fillResults(id);
    await advance(5_000);
    expect(updatesFor(id)[1]).toEqual({
      providerJobId: id,
      state: "succeeded",
      progress: 100,
      resultUrl: subject.fake.resultUrlFor(id),
    });
    await advance(60_000);
    expect(reads()).toBe(2);
  });

  it.each([
    [
      "content_policy_violation",
      `${label}'s content filter blocked this video; change the prompt or the pictures and try again. (content_policy_violation: Sensitive content detected)`,
    ],
    [
      "generation_timeout",
      `${label} ran out of time making the video; press 🔁 to try again. (generation_timeout: Sensitive content detected)`,
    ],
    [
      "something_new",
      `${label} could not make the video. (something_new: Sensitive content detected)`,
    ],
  ])("reports a task failed with %s in plain words", async (code, message) => {
    await setUp({ fake: { estimatedTime: 20 } });
    const id = await submit();
    await subject.fake.fail(id, code, "Sensitive content detected");
    await advance(5_000);
    expect(updatesFor(id)).toEqual([
      { providerJobId: id, state: "failed", progress: 0, error: message },
    ]);
  });

  it("reports a cancelled task, and a task the API lost (not found twice)", async () => {
    await setUp({ fake: { estimatedTime: 20 } });
    const cancelled = await submit();
    const lost = await submit();
    await subject.fake.cancel(cancelled);
    subject.fake.forget(lost);
    await advance(5_000);
    expect(updatesFor(cancelled)[0]).toMatchObject({ state: "cancelled" });
    expect(updatesFor(lost)).toEqual([]);
    await advance(5_000);
    expect(updatesFor(lost)[0]).toEqual({
      providerJobId: lost,
      state: "failed",
      error: `${label} no longer knows this task; press 🔁 to try again.`,
    });
  });

  it("backs off after errors, reports the outage, and recovers", async () => {
    await setUp({ fake: { estimatedTime: 20 } });
    const id = await submit();
    subject.fake.failNext("GET", /^\/v1\/tasks\//, 503, { times: 3 });
    await advance(5_000);
    expect(reads()).toBe(1);
    await advance(9_000);
    expect(reads()).toBe(1);
    await advance(1_000);
    await advance(19_000);
    expect(reads()).toBe(2);
    expect(subject.provider.isConnected()).toBe(true);
    await advance(1_000);
    expect(subject.provider.isConnected()).toBe(false);
    expect(subject.listener.disconnects).toHaveLength(1);
    subject.fake.setProgress(id, 60);
    await advance(40_000);
    expect(reads()).toBe(4);
    expect(subject.provider.isConnected()).toBe(true);
    expect(subject.listener.connects).toBe(2);
    expect(updatesFor(id)).toEqual([expect.objectContaining({ state: "running", progress: 60 })]);
  });

  it("waits out a 429's Retry-After before reading anything again", async () => {
    await setUp({ fake: { estimatedTime: 20 } });
    await submit();
    await submit();
    subject.fake.failNext("GET", /^\/v1\/tasks\//, 429, { retryAfter: 30 });
    await advance(5_000);
    const afterLimit = reads();
    await advance(29_000);
    expect(reads()).toBe(afterLimit);
    await advance(1_000);
    expect(reads()).toBe(afterLimit + 2);
    expect(subject.provider.isConnected()).toBe(true);
  });

  it("stops reading a cancelled job, and everything after stop()", async () => {
    await setUp({ fake: { estimatedTime: 20 } });
    const kept = await submit();
    const dropped = await submit();
    await subject.provider.cancel(dropped);
    await advance(5_000);
    expect(subject.fake.reads(dropped)).toHaveLength(0);
    expect(subject.fake.reads(kept)).toHaveLength(1);
    await subject.provider.stop();
    await advance(60_000);
    expect(reads()).toBe(1);
  });
});
