import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { unknownOutcomeMessage } from "../../src/service/failure-messages.ts";
import { createHarness, origin, type ServiceUnderTest } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { expectOutcome, isCreate, isDownload, isList } from "./support/exactly-once.ts";
import { advanceUntil, useFakeClock } from "./support/fault-clock.ts";

const textModel = "bytedance-seedance-2-0-text-to-video";

describe("fault: the provider answers 429 or 5xx in bursts", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  let bot: ServiceUnderTest;

  beforeEach(async () => {
    harness = await createHarness({ sweepIntervalMs: 60_000 });
    bot = await harness.boot();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await harness.close();
  });

  const count = (match: (request: { method: string; pathname: string }) => boolean) =>
    harness.fake.requests.filter(match).length;
  const stateOf = async (jobId: string) => (await bot.service.getJob(jobId))?.state;

  describe("on reads (retried; the job is never lost)", () => {
    it("429s with Retry-After on the queue list during a reconnect sweep", async () => {
      const job = await bot.service.submit({ mode: "text", prompt: "list throttled" }, origin);
      useFakeClock();
      harness.fake.failNext("GET", "/api/ai/queue", 429, { retryAfter: 2, times: 3 });
      harness.fake.dropStreams();
      harness.fake.complete(job.providerJobId ?? "", { emit: false });
      await advanceUntil(async () => (await stateOf(job.id)) === "delivered", { stepMs: 500 });
      expect(count(isList)).toBeGreaterThanOrEqual(4);
      await expectOutcome(harness.fake, bot, job.id, "delivered");
    });

    it("a 503 burst longer than the retries on the queue list: the next sweep succeeds", async () => {
      useFakeClock();
      const job = await bot.service.submit({ mode: "text", prompt: "list down" }, origin);
      harness.fake.complete(job.providerJobId ?? "", { emit: false });
      harness.fake.failNext("GET", "/api/ai/queue", 503, { times: 6 });
      await advanceUntil(async () => (await stateOf(job.id)) === "delivered", {
        stepMs: 2_000,
        message: "delivery by a later sweep",
      });
      expect(count(isList)).toBeGreaterThanOrEqual(7);
      await expectOutcome(harness.fake, bot, job.id, "delivered");
    });

    it("5xx on the single lookup of a job that left the list without an event", async () => {
      useFakeClock();
      const job = await bot.service.submit({ mode: "text", prompt: "lookup flaky" }, origin);
      const id = job.providerJobId ?? "";
      harness.fake.complete(id, { emit: false });
      harness.fake.failNext("GET", `/api/ai/queue/${id}`, 502, { times: 3 });
      await advanceUntil(async () => (await stateOf(job.id)) === "delivered", { stepMs: 1_000 });
      await expectOutcome(harness.fake, bot, job.id, "delivered");
    });

    it("503s on the video download: retried with backoff, downloaded and delivered once", async () => {
      useFakeClock();
      const job = await bot.service.submit({ mode: "text", prompt: "download flaky" }, origin);
      harness.fake.failNext("GET", /\.mp4$/, 503, { times: 3 });
      harness.fake.complete(job.providerJobId ?? "");
      await advanceUntil(async () => (await stateOf(job.id)) === "delivered", { stepMs: 1_000 });
      expect(count(isDownload)).toBe(4);
      await expectOutcome(harness.fake, bot, job.id, "delivered");
    });

    it("500s on the cost lookup: delivered once, without a cost", async () => {
      useFakeClock();
      const job = await bot.service.submit({ mode: "text", prompt: "cost unknown" }, origin);
      harness.fake.failNext("GET", /^\/api\/ai\/generations\//, 500, { times: 10 });
      harness.fake.complete(job.providerJobId ?? "");
      await advanceUntil(async () => (await stateOf(job.id)) === "delivered", { stepMs: 1_000 });
      expect((await bot.service.getJob(job.id))?.cost).toBeUndefined();
      await expectOutcome(harness.fake, bot, job.id, "delivered");
    });
  });

  describe("on create (a create that may have landed is never sent again)", () => {
    it("a 503: sent once, looked for in the queue, failed with a clear message", async () => {
      harness.fake.failNext("POST", "/api/ai/queue", 503, { times: 5 });
      const job = await bot.service.submit({ mode: "text", prompt: "create 503" }, origin);
      expect(job).toMatchObject({ state: "failed", error: unknownOutcomeMessage });
      expect(harness.fake.jobs.size).toBe(0);
      await expectOutcome(harness.fake, bot, job.id, "failed");
    });

    it("a 502 burst while the job did land: sent once, adopted, delivered once", async () => {
      const remote = harness.fake.addJob(textModel, { prompt: "landed anyway" });
      harness.fake.failNext("POST", "/api/ai/queue", 502, { times: 5 });
      const job = await bot.service.submit({ mode: "text", prompt: "landed anyway" }, origin);
      expect(job).toMatchObject({ state: "queued", providerJobId: remote.id });
      harness.fake.complete(remote.id);
      await waitUntil(async () => (await stateOf(job.id)) === "delivered");
      await expectOutcome(harness.fake, bot, job.id, "delivered");
    });

    it("a connection reset after the request was read: sent once, failed clearly", async () => {
      harness.fake.failNext("POST", "/api/ai/queue", 0, { reset: true });
      const job = await bot.service.submit({ mode: "text", prompt: "reset" }, origin);
      expect(job).toMatchObject({ state: "failed", error: unknownOutcomeMessage });
      await expectOutcome(harness.fake, bot, job.id, "failed");
    });

    it("429s then an accept: the refused tries are repeated (nothing was created), one job exists", async () => {
      useFakeClock();
      harness.fake.failNext("POST", "/api/ai/queue", 429, { retryAfter: 1, times: 2 });
      const submitting = bot.service.submit({ mode: "text", prompt: "throttled create" }, origin);
      await advanceUntil(() => count(isCreate) === 3, { stepMs: 500 });
      const job = await submitting;
      expect(job.state).toBe("queued");
      expect(harness.fake.jobs.size).toBe(1);
      harness.fake.complete(job.providerJobId ?? "");
      await advanceUntil(async () => (await stateOf(job.id)) === "delivered", { stepMs: 100 });
      await expectOutcome(harness.fake, bot, job.id, "delivered", { creates: 3 });
    });

    it("429s until the tries run out: nothing created, failed saying the provider is rate limiting", async () => {
      useFakeClock();
      harness.fake.failNext("POST", "/api/ai/queue", 429, { retryAfter: 1, times: 5 });
      const submitting = bot.service.submit({ mode: "text", prompt: "throttled out" }, origin);
      await advanceUntil(() => count(isCreate) === 3, { stepMs: 500 });
      const job = await submitting;
      expect(job.error).toBe("The provider is rate limiting requests; try again in a minute.");
      expect(harness.fake.jobs.size).toBe(0);
      await expectOutcome(harness.fake, bot, job.id, "failed", { creates: 3 });
    });
  });
});
