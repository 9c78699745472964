import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startedSimulator, submitInput } from "./simulator-harness.ts";

describe("simulator provider: jobs outlive a restart", () => {
  let dataDirectory: string;

  beforeEach(async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    dataDirectory = await mkdtemp(join(tmpdir(), "simulator-restart-"));
  });

  afterEach(async () => {
    vi.useRealTimers();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it("a job stopped half-way continues from its stored submit time and ends once", async () => {
    const first = await startedSimulator({ delayMs: 4000, dataDirectory });
    const { providerJobId } = await first.provider.submit(
      submitInput({ mode: "text", prompt: "a lantern" }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    await first.provider.stop();
    expect((await stat(join(dataDirectory, "jobs.jsonl"))).mode & 0o777).toBe(0o600);

    // Down for one second: the job is 2 s into its 4 s when the next process starts.
    await vi.advanceTimersByTimeAsync(1000);
    const second = await startedSimulator({ delayMs: 9999, dataDirectory });
    expect(await second.provider.getStatus(providerJobId)).toMatchObject({
      state: "running",
      progress: 40,
    });
    const seen = () =>
      second.listener.updatesFor(providerJobId).map((update) => [update.state, update.progress]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(seen()).toEqual([
      ["running", 60],
      ["running", 80],
    ]);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen().at(-1)).toEqual(["succeeded", 100]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen().filter(([state]) => state === "succeeded")).toHaveLength(1);
    await second.provider.stop();
  });

  it("jobs that ended, failed or were cancelled while it was down read as such", async () => {
    const first = await startedSimulator({ delayMs: 4000, dataDirectory });
    const done = await first.provider.submit(submitInput({ mode: "text", prompt: "done" }));
    const failed = await first.provider.submit(submitInput({ mode: "text", prompt: "x [fail]" }));
    const cancelled = await first.provider.submit(submitInput({ mode: "text", prompt: "stop" }));
    await first.provider.cancel(cancelled.providerJobId);
    await first.provider.stop();

    await vi.advanceTimersByTimeAsync(10_000);
    const second = await startedSimulator({ dataDirectory });
    const updates = await second.provider.reconcile([
      { providerJobId: done.providerJobId, state: "queued" },
      { providerJobId: failed.providerJobId, state: "queued" },
      { providerJobId: cancelled.providerJobId, state: "queued" },
    ]);
    expect(updates.map((update) => update.state)).toEqual(["succeeded", "failed", "cancelled"]);
    expect(updates[0]?.resultUrl).toBe(`simulator://${done.providerJobId}`);
    // Ended while it was down: nothing is pushed, reconcile reads it.
    expect(second.listener.updates).toEqual([]);
    await second.provider.stop();
  });

  it("the same job id submitted again after a restart is the same job", async () => {
    const first = await startedSimulator({ delayMs: 4000, dataDirectory });
    const input = submitInput({ mode: "text", prompt: "once" });
    const submitted = await first.provider.submit(input);
    await first.provider.stop();
    const second = await startedSimulator({ delayMs: 4000, dataDirectory });
    expect((await second.provider.submit(input)).providerJobId).toBe(submitted.providerJobId);
    await second.provider.stop();
  });
});
