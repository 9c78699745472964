import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { lostJobMessage } from "../../../src/providers/simulator/index.ts";
import { type RecordingListener, startedSimulator, submitInput } from "./simulator-harness.ts";

describe("simulator provider: a job's life", () => {
  let provider: GenerationProvider;
  let listener: RecordingListener;

  beforeEach(async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    ({ provider, listener } = await startedSimulator({ delayMs: 4000 }));
  });

  afterEach(async () => {
    await provider.stop();
    vi.useRealTimers();
  });

  it("connects once on start and reports itself connected", () => {
    expect(provider.name).toBe("simulator");
    expect(listener.connections).toBe(1);
    expect(provider.isConnected()).toBe(true);
  });

  it("goes queued → running at 20 % → succeeded at exactly delayMs, with progress", async () => {
    const outcome = await provider.submit(submitInput({ mode: "text", prompt: "a paper boat" }));
    expect(outcome.state).toBe("queued");
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(799);
    expect(listener.updates).toEqual([]);
    expect((await provider.getStatus(outcome.providerJobId)).state).toBe("queued");

    await vi.advanceTimersByTimeAsync(1);
    expect(listener.updates).toEqual([
      { providerJobId: outcome.providerJobId, state: "running", progress: 20, etaSeconds: 4 },
    ]);

    await vi.advanceTimersByTimeAsync(3199);
    expect(listener.updates.map((update) => [update.state, update.progress])).toEqual([
      ["running", 20],
      ["running", 40],
      ["running", 60],
      ["running", 80],
    ]);

    await vi.advanceTimersByTimeAsync(1);
    const last = listener.updates.at(-1);
    expect(last).toEqual({
      providerJobId: outcome.providerJobId,
      state: "succeeded",
      progress: 100,
      resultUrl: `simulator://${outcome.providerJobId}`,
    });
    expect(listener.updates).toHaveLength(5);
    expect(await provider.getStatus(outcome.providerJobId)).toEqual(last);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("holds one timer per pending job, whatever the number of jobs", async () => {
    for (const prompt of ["one", "two", "three"]) {
      await provider.submit(submitInput({ mode: "text", prompt }));
    }
    expect(vi.getTimerCount()).toBe(3);
    await vi.advanceTimersByTimeAsync(2500);
    expect(vi.getTimerCount()).toBe(3);
    await vi.advanceTimersByTimeAsync(1500);
    expect(vi.getTimerCount()).toBe(0);
    expect(listener.updates.filter((update) => update.state === "succeeded")).toHaveLength(3);
  });

  it("takes three times longer when the prompt says [slow]", async () => {
    const { providerJobId } = await provider.submit(
      submitInput({ mode: "text", prompt: "a glacier [slow] melting" }),
    );
    await vi.advanceTimersByTimeAsync(11_999);
    expect(listener.updatesFor(providerJobId).at(-1)?.state).toBe("running");
    await vi.advanceTimersByTimeAsync(1);
    expect(listener.updatesFor(providerJobId).at(-1)?.state).toBe("succeeded");
  });

  it("cancels without an update event; reconcile and getStatus report it", async () => {
    const { providerJobId } = await provider.submit(
      submitInput({ mode: "text", prompt: "a kite" }),
    );
    await vi.advanceTimersByTimeAsync(1000);
    const seen = listener.updates.length;

    await provider.cancel(providerJobId);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(20_000);

    expect(listener.updates).toHaveLength(seen);
    const [reconciled] = await provider.reconcile([{ providerJobId, state: "running" }]);
    expect(reconciled?.state).toBe("cancelled");
    // Like Oxen, reconcile answers only what changed.
    expect(await provider.reconcile([{ providerJobId, state: "cancelled" }])).toEqual([]);
    expect((await provider.getStatus(providerJobId)).state).toBe("cancelled");
  });

  it("reports jobs it does not know as lost, asking for a retry", async () => {
    const updates = await provider.reconcile([
      { providerJobId: "sim-00000000-0000-4000-8000-000000000000", state: "running" },
    ]);
    expect(updates).toEqual([
      {
        providerJobId: "sim-00000000-0000-4000-8000-000000000000",
        state: "failed",
        error: lostJobMessage,
      },
    ]);
    expect(lostJobMessage).toBe("The simulator restarted and lost this job; press 🔁 to try again");
  });

  it("stop leaves no timers and forgets pending jobs, like a restarted service", async () => {
    const done = await provider.submit(submitInput({ mode: "text", prompt: "done" }));
    await vi.advanceTimersByTimeAsync(4000);
    const pending = await provider.submit(submitInput({ mode: "text", prompt: "pending" }));
    await vi.advanceTimersByTimeAsync(1000);

    await provider.stop();

    expect(vi.getTimerCount()).toBe(0);
    expect(provider.isConnected()).toBe(false);
    const updates = await provider.reconcile([
      { providerJobId: pending.providerJobId, state: "running" },
      { providerJobId: done.providerJobId, state: "running" },
    ]);
    expect(updates.map((update) => [update.state, update.error])).toEqual([
      ["failed", lostJobMessage],
      ["succeeded", undefined],
    ]);
    expect(await provider.getStatus(done.providerJobId)).toMatchObject({ state: "succeeded" });
  });
});
