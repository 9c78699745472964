import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { unknownOutcomeMessage } from "../../src/service/failure-messages.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

const textModel = "bytedance-seedance-2-0-text-to-video";

describe("generation service: restarts and unknown outcomes", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;

  beforeEach(async () => {
    harness = await createHarness({ deliveryBackoffMs: { initialMs: 60_000, maxMs: 60_000 } });
  });
  afterEach(async () => {
    await harness.close();
  });

  const posts = () => harness.fake.requests.filter((request) => request.method === "POST");
  const downloads = () =>
    harness.fake.requests.filter((request) => request.pathname.endsWith(".mp4"));

  it("delivers exactly once when the job finished while the bot was down", async () => {
    const first = await harness.boot();
    const job = await first.service.submit({ mode: "text", prompt: "while you slept" }, origin);
    await first.close();
    harness.fake.complete(job.providerJobId ?? "");

    const second = await harness.boot();
    await waitUntil(async () => (await second.service.getJob(job.id))?.state === "delivered");
    expect(first.adapter.deliveries).toHaveLength(0);
    expect(second.adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });

  it("resumes a delivery interrupted by a restart, reusing the downloaded video", async () => {
    const first = await harness.boot();
    first.adapter.failNextDeliveries(1);
    const job = await first.service.submit({ mode: "text", prompt: "interrupted upload" }, origin);
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await first.service.getJob(job.id))?.attempts === 1);
    await first.close();

    const second = await harness.boot();
    await waitUntil(async () => (await second.service.getJob(job.id))?.state === "delivered");
    expect([...first.adapter.deliveries, ...second.adapter.deliveries]).toHaveLength(1);
    expect(downloads()).toHaveLength(1);
  });

  it("after a restart, a video the platform already shows is recorded as delivered, not posted again", async () => {
    const first = await harness.boot();
    first.adapter.failNextDeliveries(1, true, { afterPosting: true });
    const job = await first.service.submit(
      { mode: "text", prompt: "posted, not recorded" },
      origin,
    );
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await first.service.getJob(job.id))?.attempts === 1);
    await first.close();
    // The platform kept the post; the new process only knows it by asking the platform.
    const platformLog = join(harness.directory, "platform-posts.jsonl");
    writeFileSync(platformLog, `${JSON.stringify({ jobId: job.id })}\n`);

    const second = await harness.boot({ platformLog });
    await waitUntil(async () => (await second.service.getJob(job.id))?.state === "delivered");
    expect(first.adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(second.adapter.deliveries).toHaveLength(0);
    expect(second.adapter.lookups).toEqual([job.id]);
    expect((await second.service.getJob(job.id))?.cost).toBe(0.84);
    await waitUntil(() => second.adapter.cards.get(job.id)?.last.state === "delivered");
  });

  it("when the platform cannot say whether it has the video, it is posted as before", async () => {
    const first = await harness.boot();
    first.adapter.failNextDeliveries(1);
    const job = await first.service.submit({ mode: "text", prompt: "history unreadable" }, origin);
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await first.service.getJob(job.id))?.attempts === 1);
    await first.close();

    const second = await harness.boot();
    second.adapter.failNextLookups(1);
    await waitUntil(async () => (await second.service.getJob(job.id))?.state === "delivered");
    expect(second.adapter.lookups).toEqual([job.id]);
    expect([...first.adapter.deliveries, ...second.adapter.deliveries]).toHaveLength(1);
    expect(downloads()).toHaveLength(1);
  });

  it("adopts, never re-sends, a create that was in flight when the process died", async () => {
    const store = openSqliteJobStore({ path: join(harness.directory, "jobs.sqlite") });
    const createdAt = Date.now();
    await store.create({
      id: "crashed1",
      origin,
      request: {
        mode: "text",
        tier: "standard",
        prompt: "mid-submit",
        referenceImages: [],
        referenceVideos: [],
        referenceAudios: [],
      },
      provider: "oxen",
      model: textModel,
      createdAt,
    });
    await store.close();
    const remote = harness.fake.addJob(textModel, { prompt: "mid-submit" });

    const { service, adapter } = await harness.boot();
    await waitUntil(async () => (await service.getJob("crashed1"))?.providerJobId === remote.id);
    harness.fake.complete(remote.id);
    await waitUntil(async () => (await service.getJob("crashed1"))?.state === "delivered");
    expect(adapter.deliveriesOf("crashed1")).toHaveLength(1);
    expect(posts()).toHaveLength(0);
  });

  it("fails clearly, without re-sending, when a create's outcome is unknown and the job is nowhere", async () => {
    const { service } = await harness.boot();
    harness.fake.failNext("POST", "/api/ai/queue", 502);
    const job = await service.submit({ mode: "text", prompt: "lost in transit" }, origin);
    expect(job.state).toBe("failed");
    expect(job.error).toBe(unknownOutcomeMessage);
    expect(posts()).toHaveLength(1);
  });

  it("finds the job when the create landed but its response was lost", async () => {
    const { service, adapter } = await harness.boot();
    const remote = harness.fake.addJob(textModel, { prompt: "response lost" });
    harness.fake.failNext("POST", "/api/ai/queue", 0, { reset: true });
    const job = await service.submit({ mode: "text", prompt: "response lost" }, origin);
    expect(job).toMatchObject({ state: "queued", providerJobId: remote.id });
    harness.fake.complete(remote.id);
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    expect(adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });
});
