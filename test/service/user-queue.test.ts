import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Job } from "../../src/jobs/job.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe("generation service: per-user queue", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  const posts = () => harness.fake.requests.filter((request) => request.method === "POST").length;

  beforeEach(async () => {
    harness = await createHarness({ maxJobsPerUser: 2 });
  });
  afterEach(async () => {
    await harness.close();
  });

  it("holds a user's extra jobs in order, showing their position, and starts them as slots free up", async () => {
    const { service, adapter } = await harness.boot();
    const jobs: Job[] = [];
    for (const prompt of ["one", "two", "three", "four"]) {
      jobs.push(await service.submit({ mode: "text", prompt }, origin));
    }
    expect(jobs.map((job) => job.state)).toEqual(["queued", "queued", "waiting", "waiting"]);
    expect(jobs.map((job) => job.queuePosition)).toEqual([undefined, undefined, 1, 2]);
    expect(posts()).toBe(2);
    const someoneElse = await service.submit(
      { mode: "text", prompt: "mine" },
      { ...origin, userId: "user-2" },
    );
    expect(someoneElse.state).toBe("queued");

    harness.fake.complete(jobs[0]?.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(jobs[2]?.id ?? ""))?.state === "queued");
    await waitUntil(async () => (await service.getJob(jobs[3]?.id ?? ""))?.queuePosition === 1);
    expect((await service.getJob(jobs[3]?.id ?? ""))?.state).toBe("waiting");
    expect(posts()).toBe(4);
    await waitUntil(() => adapter.cards.get(jobs[3]?.id ?? "")?.last.queuePosition === 1);
  });

  it("cancels a waiting job without asking the provider, and moves the next one up", async () => {
    const { service } = await harness.boot();
    const jobs: Job[] = [];
    for (const prompt of ["one", "two", "three", "four"]) {
      jobs.push(await service.submit({ mode: "text", prompt }, origin));
    }
    const cancelled = await service.cancel(jobs[2]?.id ?? "", {
      platform: "test",
      userId: "user-1",
    });
    expect(cancelled).toMatchObject({
      state: "cancelled",
      error: "Cancelled by its requester before it started.",
    });
    await waitUntil(async () => (await service.getJob(jobs[3]?.id ?? ""))?.queuePosition === 1);
    expect(harness.fake.requests.filter((request) => request.method === "DELETE")).toHaveLength(0);
    expect(posts()).toBe(2);
  });

  it("starts waiting jobs after a restart once the user has room", async () => {
    const first = await harness.boot();
    const jobs: Job[] = [];
    for (const prompt of ["one", "two", "three"]) {
      jobs.push(await first.service.submit({ mode: "text", prompt }, origin));
    }
    await first.close();
    harness.fake.complete(jobs[0]?.providerJobId ?? "");

    const second = await harness.boot();
    await waitUntil(
      async () => (await second.service.getJob(jobs[2]?.id ?? ""))?.state === "queued",
    );
    await waitUntil(
      async () => (await second.service.getJob(jobs[0]?.id ?? ""))?.state === "delivered",
    );
    expect(posts()).toBe(3);
  });
});
