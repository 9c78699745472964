import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

const fixture = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));

describe("generation service: submit → SSE completion → delivery", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;

  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it("delivers the provider's video bytes to the originating thread exactly once", async () => {
    const { service, adapter } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "a paper boat", duration: 4 }, origin);
    expect(job.state).toBe("queued");
    const providerJobId = job.providerJobId ?? "";
    expect(harness.fake.jobs.get(providerJobId)?.model).toBe(
      "bytedance-seedance-2-0-text-to-video",
    );

    harness.fake.complete(providerJobId);
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered", {
      message: "delivery",
    });

    expect(adapter.deliveries).toHaveLength(1);
    const [delivery] = adapter.deliveries;
    expect(delivery?.bytes.equals(fixture)).toBe(true);
    expect(delivery).toMatchObject({
      channelId: "channel-1",
      threadId: "thread-1",
      userId: "user-1",
    });
    // The card shows each job's newest state; bursts of changes are coalesced, never reordered.
    await waitUntil(() => adapter.cards.get(job.id)?.last.state === "delivered");
    const states = adapter.cards.get(job.id)?.states ?? [];
    expect(states[0]).toBe("submitting");
    expect(states).toContain("queued");
    expect(states.at(-1)).toBe("delivered");
    const stored = await service.getJob(job.id);
    expect(stored).toMatchObject({
      state: "delivered",
      cost: 0.84,
      statusMessageId: `card-${job.id}`,
    });
  });

  it("spends at most 3 provider requests on a job: create, download, cost", async () => {
    const { service } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "a paper boat" }, origin);
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    const perJob = harness.fake.requests.filter(
      (request) =>
        request.pathname.includes(job.providerJobId ?? "") || request.pathname === "/api/ai/queue",
    );
    expect(
      perJob.map(
        (request) =>
          `${request.method} ${request.pathname.replace(job.providerJobId ?? "", ":id")}`,
      ),
    ).toEqual([
      "POST /api/ai/queue",
      "GET /api/repos/test/outputs/file/main/:id.mp4",
      "GET /api/ai/generations/:id",
    ]);
  });

  it("ignores a duplicate completion event: one delivery", async () => {
    const { service, adapter } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "twice" }, origin);
    const id = job.providerJobId ?? "";
    harness.fake.complete(id);
    harness.fake.complete(id);
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    harness.fake.complete(id);
    await waitUntil(
      () =>
        harness.fake.requests.filter((request) => request.pathname.endsWith(`${id}.mp4`)).length >=
        1,
    );
    expect(adapter.deliveriesOf(job.id)).toHaveLength(1);
  });

  it("shows a provider failure on the status card with the has_face hint, and delivers nothing", async () => {
    const { service, adapter } = await harness.boot();
    const job = await service.submit(
      { mode: "image", prompt: "wave", startImage: { url: "https://cdn.example/me.png" } },
      origin,
    );
    harness.fake.fail(job.providerJobId ?? "", "The input image contains a real human face");
    await waitUntil(async () => (await service.getJob(job.id))?.state === "failed");
    const failed = await service.getJob(job.id);
    expect(failed?.error).toContain("set has_face (or add --face)");
    await waitUntil(() => adapter.cards.get(job.id)?.last.state === "failed");
    expect(adapter.deliveries).toHaveLength(0);
  });

  it("refuses an invalid request before anything is stored or sent", async () => {
    const { service } = await harness.boot();
    await expect(
      service.submit({ mode: "text", prompt: "boat", duration: 3 }, origin),
    ).rejects.toThrow(
      "Duration 3 is out of range; use 4–15 seconds, or auto to let the model decide.",
    );
    expect(harness.fake.requests.filter((request) => request.method === "POST")).toHaveLength(0);
    expect(await service.jobsFor("test", "user-1")).toHaveLength(0);
  });

  it("turns a repeated platform event into the same job (idempotency key)", async () => {
    const { service } = await harness.boot();
    const first = await service.submit({ mode: "text", prompt: "once" }, origin, {
      idempotencyKey: "event-1",
    });
    const second = await service.submit({ mode: "text", prompt: "once" }, origin, {
      idempotencyKey: "event-1",
    });
    expect(second.id).toBe(first.id);
    expect(harness.fake.requests.filter((request) => request.method === "POST")).toHaveLength(1);
  });

  it("retries a transient upload failure and still delivers once", async () => {
    await harness.close();
    harness = await createHarness({ deliveryBackoffMs: { initialMs: 10, maxMs: 20 } });
    const { service, adapter } = await harness.boot();
    adapter.failNextDeliveries(2);
    const job = await service.submit({ mode: "text", prompt: "flaky chat" }, origin);
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    expect(adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect((await service.getJob(job.id))?.attempts).toBe(2);
    const downloads = harness.fake.requests.filter((request) => request.pathname.endsWith(".mp4"));
    expect(downloads).toHaveLength(1);
  });

  it("an upload the platform took but whose answer was lost is found on the retry, not posted twice", async () => {
    await harness.close();
    harness = await createHarness({ deliveryBackoffMs: { initialMs: 10, maxMs: 20 } });
    const { service, adapter } = await harness.boot();
    adapter.failNextDeliveries(1, true, { afterPosting: true });
    const job = await service.submit({ mode: "text", prompt: "answer lost" }, origin);
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    expect(adapter.deliveriesOf(job.id)).toHaveLength(1);
    // Asked once, on the retry: a first attempt has nothing to look for.
    expect(adapter.lookups).toEqual([job.id]);
    expect(await service.getJob(job.id)).toMatchObject({ attempts: 1, cost: 0.84 });
    await waitUntil(() => adapter.cards.get(job.id)?.last.state === "delivered");
  });
});
