import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe("generation service: reconciliation when events go missing", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;

  beforeEach(async () => {
    harness = await createHarness({ sweepIntervalMs: 60_000, jobTimeoutMs: 45 * 60_000 });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  it("recovers a completion missed while the stream was down, on reconnect", async () => {
    const { service, adapter } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "lost event" }, origin);
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const connections = harness.fake.sseConnectionsOpened();
    harness.fake.dropStreams();
    harness.fake.complete(job.providerJobId ?? "", { emit: false });
    await waitUntil(async () => {
      await vi.advanceTimersByTimeAsync(500);
      return harness.fake.sseConnectionsOpened() > connections;
    });
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered", {
      message: "delivery",
    });
    expect(adapter.deliveriesOf(job.id)).toHaveLength(1);
    const singleFetches = harness
      .requestsAbout(job.providerJobId ?? "")
      .filter((request) => request.pathname === `/api/ai/queue/${job.providerJobId}`);
    expect(singleFetches).toHaveLength(1);
  });

  it("finds a completion whose event never came, on the slow sweep", async () => {
    const { service, adapter } = await harness.boot();
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const job = await service.submit({ mode: "text", prompt: "silent success" }, origin);
    harness.fake.complete(job.providerJobId ?? "", { emit: false });
    await vi.advanceTimersByTimeAsync(59_000);
    expect((await service.getJob(job.id))?.state).toBe("queued");
    await vi.advanceTimersByTimeAsync(1_000);
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered", {
      message: "delivery",
    });
    expect(adapter.deliveriesOf(job.id)).toHaveLength(1);
  });

  it("notices a job cancelled elsewhere (no event is ever sent for cancellations)", async () => {
    const { service, adapter } = await harness.boot();
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const job = await service.submit({ mode: "text", prompt: "cancelled in the web UI" }, origin);
    harness.fake.cancelExternally(job.providerJobId ?? "");
    await vi.advanceTimersByTimeAsync(60_000);
    await waitUntil(async () => (await service.getJob(job.id))?.state === "cancelled");
    await waitUntil(() => adapter.cards.get(job.id)?.last.state === "cancelled");
    expect(adapter.deliveries).toHaveLength(0);
  });

  it("asks the list endpoint once per sweep for every pending job, and nothing while idle", async () => {
    const { service } = await harness.boot();
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const lists = () =>
      harness.fake.requests.filter(
        (request) => request.method === "GET" && request.pathname === "/api/ai/queue",
      ).length;
    const before = lists();
    const jobs = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        service.submit({ mode: "text", prompt: `job ${index}` }, origin),
      ),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    await waitUntil(() => lists() === before + 1);
    for (const job of jobs) harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () =>
      (await service.jobsFor("test", "user-1")).every((job) => job.state === "delivered"),
    );
    const afterDone = lists();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(lists()).toBe(afterDone);
  });

  it("cancels a job at the provider when it runs past the timeout", async () => {
    await harness.close();
    harness = await createHarness({ sweepIntervalMs: 60_000, jobTimeoutMs: 100_000 });
    const { service } = await harness.boot();
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    const job = await service.submit({ mode: "text", prompt: "forever" }, origin);
    const lists = () =>
      harness.fake.requests.filter(
        (request) => request.pathname === "/api/ai/queue" && request.method === "GET",
      ).length;
    // One sweep at a time, letting each one's real HTTP finish before the clock moves on.
    await vi.advanceTimersByTimeAsync(60_000);
    await waitUntil(() => lists() >= 1);
    expect((await service.getJob(job.id))?.state).toBe("queued");
    await vi.advanceTimersByTimeAsync(60_000);
    await waitUntil(async () => (await service.getJob(job.id))?.state === "failed");
    expect((await service.getJob(job.id))?.error).toContain("longer than 2 minutes");
    expect(harness.fake.requests.filter((request) => request.method === "DELETE")).toHaveLength(1);
  });
});
