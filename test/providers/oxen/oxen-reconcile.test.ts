import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { ProviderError } from "../../../src/errors.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { captureLogs } from "./oxen-test-helpers.ts";

const model = oxenCatalog.image.standard.id;

describe("Oxen job lookups", () => {
  let fake: FakeOxenServer;
  let provider: GenerationProvider;

  beforeEach(async () => {
    fake = await startFakeOxenServer();
    provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: captureLogs().logger,
    });
  });

  afterEach(async () => {
    await provider.stop();
    await fake.close();
  });

  it("makes no request at all when nothing is pending", async () => {
    expect(await provider.reconcile([])).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it("lists once, then looks up only the jobs that left the list", async () => {
    const waiting = fake.addJob(model);
    const started = fake.addJob(model);
    const finished = fake.addJob(model);
    const failed = fake.addJob(model);
    const cancelled = fake.addJob(model);
    fake.setRunning(started.id);
    fake.complete(finished.id, { emit: false });
    fake.fail(failed.id, "Content filter blocked the request", { emit: false });
    fake.cancelExternally(cancelled.id);

    const updates = await provider.reconcile([
      { providerJobId: waiting.id, state: "queued" },
      { providerJobId: started.id, state: "queued" },
      { providerJobId: finished.id, state: "running" },
      { providerJobId: failed.id, state: "queued" },
      { providerJobId: cancelled.id, state: "queued" },
      { providerJobId: "00000000-0000-0000-0000-000000000000", state: "running" },
    ]);

    expect(updates).toEqual(
      expect.arrayContaining([
        { providerJobId: started.id, state: "running" },
        {
          providerJobId: finished.id,
          state: "succeeded",
          resultUrl: fake.resultUrlFor(finished.id),
        },
        { providerJobId: failed.id, state: "failed", error: "Content filter blocked the request" },
        { providerJobId: cancelled.id, state: "cancelled" },
        {
          providerJobId: "00000000-0000-0000-0000-000000000000",
          state: "failed",
          error: "The provider no longer knows this job",
        },
      ]),
    );
    expect(updates).toHaveLength(5);
    const paths = fake.requests.map((request) => request.path).sort();
    expect(paths).toEqual(
      [
        "/api/ai/queue",
        `/api/ai/queue/${finished.id}`,
        `/api/ai/queue/${failed.id}`,
        `/api/ai/queue/${cancelled.id}`,
        "/api/ai/queue/00000000-0000-0000-0000-000000000000",
      ].sort(),
    );
  });

  it("reads one job's status, with a fresh result URL once it succeeded", async () => {
    const job = fake.addJob(model);
    expect(await provider.getStatus(job.id)).toEqual({ providerJobId: job.id, state: "queued" });
    fake.complete(job.id, { emit: false });
    expect(await provider.getStatus(job.id)).toEqual({
      providerJobId: job.id,
      state: "succeeded",
      resultUrl: fake.resultUrlFor(job.id),
    });
  });

  it("cancels an active job, and shrugs at one that is over or unknown", async () => {
    const active = fake.addJob(model);
    const done = fake.addJob(model);
    fake.complete(done.id, { emit: false });

    await provider.cancel(active.id);
    await provider.cancel(done.id);
    await provider.cancel("00000000-0000-0000-0000-000000000000");

    expect(fake.jobs.get(active.id)?.status).toBe("cancelled");
    expect(fake.jobs.get(done.id)?.status).toBe("succeeded");
    expect(fake.requests.filter((request) => request.method === "DELETE")).toHaveLength(3);
  });

  it("reports a cancel the hub refuses", async () => {
    const job = fake.addJob(model);
    fake.failNext("DELETE", `/api/ai/queue/${job.id}`, 401);
    await expect(provider.cancel(job.id)).rejects.toBeInstanceOf(ProviderError);
  });

  it("reads what a job cost, and never throws when it cannot", async () => {
    const job = fake.addJob(model, {}, { cost: "0.84" });
    expect(await provider.fetchCost(job.id)).toBe(0.84);
    expect(await provider.fetchCost("00000000-0000-0000-0000-000000000000")).toBeUndefined();
    fake.failNext("GET", `/api/ai/generations/${job.id}`, 200, {
      body: { generation: { cost: "n/a" } },
    });
    expect(await provider.fetchCost(job.id)).toBeUndefined();
  });
});
