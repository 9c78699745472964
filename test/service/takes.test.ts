import { afterEach, describe, expect, it } from "vitest";
import { UserFacingError } from "../../src/errors.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe("generation service: several takes of one request", () => {
  let harness: Awaited<ReturnType<typeof createHarness>> | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  const creates = () =>
    (harness?.fake.requests ?? []).filter((request) => request.method === "POST").length;

  it("makes N jobs with different seeds, numbered, and a repeated command makes none more", async () => {
    harness = await createHarness();
    const { service, store } = await harness.boot();
    const request = { mode: "text", prompt: "a fox", duration: 5 } as const;
    const first = await service.submit(request, origin, { idempotencyKey: "event-1", takes: 3 });
    expect(first.take).toEqual({ index: 1, count: 3 });
    const jobs = await store.listByUser("test", "user-1", 10);
    expect(jobs.map((job) => job.take?.index).toSorted()).toEqual([1, 2, 3]);
    expect(new Set(jobs.map((job) => job.request.seed)).size).toBe(3);
    expect(creates()).toBe(3);

    const again = await service.submit(request, origin, { idempotencyKey: "event-1", takes: 3 });
    expect(again.id).toBe(first.id);
    expect(await store.listByUser("test", "user-1", 10)).toHaveLength(3);
    expect(creates()).toBe(3);
  });

  it("keeps the user's seed for the first take and gives the others the next seeds", async () => {
    harness = await createHarness();
    const { service, store } = await harness.boot();
    await service.submit({ mode: "text", prompt: "a fox", seed: 41 }, origin, { takes: 3 });
    const jobs = await store.listByUser("test", "user-1", 10);
    const seeds = jobs.map((job) => [job.take?.index, job.request.seed]);
    expect(seeds.toSorted()).toEqual([
      [1, 41],
      [2, 42],
      [3, 43],
    ]);
  });

  it("refuses a number of takes outside 1 to MAX_TAKES, naming the field, the value and the range", async () => {
    harness = await createHarness({ maxTakes: 4 });
    const { service, store } = await harness.boot();
    for (const takes of [0, 5, 2.5]) {
      const refusal = service.submit({ mode: "text", prompt: "a fox" }, origin, { takes });
      await expect(refusal).rejects.toThrow(UserFacingError);
      await expect(refusal).rejects.toThrow(
        `takes ${takes} is out of range; choose a whole number from 1 to 4.`,
      );
    }
    expect(await store.listByUser("test", "user-1", 10)).toEqual([]);
    expect(creates()).toBe(0);
  });

  it("admits all takes against the daily budget or none, saying how many seconds are left", async () => {
    harness = await createHarness({}, { dailySecondsPerUser: 20 });
    const { service, store } = await harness.boot();
    const request = { mode: "text", prompt: "a fox", duration: 8 } as const;
    await expect(service.submit(request, origin, { takes: 3 })).rejects.toThrow(
      /^These 3 takes need 24 s together \(3 × 8 s\), but your daily budget of 20 s has 20 s left \(resets at 00:00 UTC, in .+\); none of them was started\.$/,
    );
    expect(await store.listByUser("test", "user-1", 10)).toEqual([]);
    expect(creates()).toBe(0);
    await service.submit(request, origin, { takes: 2 });
    expect(await store.listByUser("test", "user-1", 10)).toHaveLength(2);
    await expect(service.submit(request, origin, { takes: 2 })).rejects.toThrow(
      /has 4 s left .*none of them was started/,
    );
    expect(creates()).toBe(2);
  });

  it("queues the takes beyond the user's limit and starts them in order", async () => {
    harness = await createHarness({ maxJobsPerUser: 1 });
    const { service, store } = await harness.boot();
    await service.submit({ mode: "text", prompt: "a fox" }, origin, { takes: 3 });
    const jobs = await store.listByUser("test", "user-1", 10);
    const placements = jobs.map((job) => [job.take?.index, job.state, job.queuePosition]);
    expect(placements.toSorted()).toEqual([
      [1, "queued", undefined],
      [2, "waiting", 1],
      [3, "waiting", 2],
    ]);
    expect(creates()).toBe(1);
  });

  it("survives a restart mid-way: each take is delivered once and the repeated command adds none", async () => {
    harness = await createHarness();
    const first = await harness.boot();
    const request = { mode: "text", prompt: "a fox", duration: 5 } as const;
    await first.service.submit(request, origin, { idempotencyKey: "event-1", takes: 3 });
    const jobs = await first.store.listByUser("test", "user-1", 10);
    const [one] = jobs.filter((job) => job.take?.index === 1);
    harness.fake.complete(one?.providerJobId ?? "");
    await waitUntil(() => first.adapter.deliveriesOf(one?.id ?? "").length === 1);
    await first.close();
    for (const job of jobs) if (job.id !== one?.id) harness.fake.complete(job.providerJobId ?? "");

    const second = await harness.boot();
    await second.service.submit(request, origin, { idempotencyKey: "event-1", takes: 3 });
    await waitUntil(async () => {
      const now = await second.store.listByUser("test", "user-1", 10);
      return now.every((job) => job.state === "delivered");
    });
    expect(await second.store.listByUser("test", "user-1", 10)).toHaveLength(3);
    for (const job of jobs) {
      const deliveries = [first, second].flatMap((instance) =>
        instance.adapter.deliveriesOf(job.id),
      );
      expect(deliveries).toHaveLength(1);
    }
    expect(creates()).toBe(3);
  });
});
