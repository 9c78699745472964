import { Agent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { ProviderError } from "../../../src/errors.ts";
import type {
  GenerationProvider,
  SubmitInput,
} from "../../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { captureLogs } from "./oxen-test-helpers.ts";

function submitInput(
  input: Partial<GenerationRequestInput> = {},
  createdAt = Date.now(),
): SubmitInput {
  const request = generationRequestSchema.parse({
    mode: "text",
    prompt: "a red kite over the sea",
    ...input,
  });
  return { jobId: "job-1", model: oxenCatalog[request.mode][request.tier], request, createdAt };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("Oxen submit", () => {
  let fake: FakeOxenServer;
  let dispatcher: Agent;
  let provider: GenerationProvider;
  const sleeps: number[] = [];
  const posts = () => fake.requests.filter((request) => request.method === "POST");

  beforeEach(async () => {
    fake = await startFakeOxenServer();
    // Short timeouts so a hanging hub fails fast; real timers, under a second.
    dispatcher = new Agent({ headersTimeout: 150, bodyTimeout: 150, connectTimeout: 500 });
    sleeps.length = 0;
    provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: captureLogs().logger,
      dispatcher,
      sleep: async (milliseconds) => {
        sleeps.push(milliseconds);
      },
      random: () => 0.5,
    });
  });

  afterEach(async () => {
    await dispatcher.destroy();
    await fake.close();
  });

  it("enqueues one generation with a bearer key and reports it queued", async () => {
    const outcome = await provider.submit(submitInput({ resolution: "480p", duration: 5 }));
    expect(outcome.state).toBe("queued");
    expect(fake.jobs.get(outcome.providerJobId)?.parameters).toMatchObject({
      resolution: "480p",
      duration: 5,
    });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(posts()[0]?.body).toEqual({
      model: "bytedance-seedance-2-0-text-to-video",
      num_generations: 1,
      prompt: "a red kite over the sea",
      resolution: "480p",
      duration: 5,
    });
  });

  it("never re-sends after a 5xx: the outcome is unknown", async () => {
    fake.failNext("POST", "/api/ai/queue", 502, { body: "Bad Gateway" });
    const error = await rejection(provider.submit(submitInput()));
    expect(error).toMatchObject({
      outcomeUnknown: true,
      statusCode: 502,
      code: "PROVIDER_OUTCOME_UNKNOWN",
    });
    expect(posts()).toHaveLength(1);
  });

  it("never re-sends after a timeout: the outcome is unknown", async () => {
    fake.failNext("POST", "/api/ai/queue", 200, { hang: true });
    const error = await rejection(provider.submit(submitInput()));
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/UND_ERR_HEADERS_TIMEOUT/);
    expect(posts()).toHaveLength(1);
  });

  it("never re-sends after a connection reset: the outcome is unknown", async () => {
    fake.failNext("POST", "/api/ai/queue", 200, { reset: true });
    const error = await rejection(provider.submit(submitInput()));
    expect(error.outcomeUnknown).toBe(true);
    expect(posts()).toHaveLength(1);
  });

  it("knows a refused connection created nothing", async () => {
    await fake.close();
    const error = await rejection(provider.submit(submitInput()));
    expect(error).toMatchObject({ outcomeUnknown: false, retryable: true });
  });

  it("reports a 4xx with the provider's words, not retryable, sent once", async () => {
    fake.failNext("POST", "/api/ai/queue", 400, {
      body: {
        error: {
          type: "invalid_request",
          detail: "num_generations must be an integer between 1 and 4",
        },
      },
    });
    const error = await rejection(provider.submit(submitInput()));
    expect(error).toMatchObject({
      message: "num_generations must be an integer between 1 and 4",
      statusCode: 400,
      retryable: false,
      outcomeUnknown: false,
    });
    expect(posts()).toHaveLength(1);
  });

  it("reports a rejected key as a 401 that is not retryable", async () => {
    const stranger = createOxenProvider({
      apiKey: "wrong-key",
      baseUrl: fake.baseUrl,
      logger: captureLogs().logger,
      dispatcher,
    });
    const error = await rejection(stranger.submit(submitInput()));
    expect(error).toMatchObject({
      statusCode: 401,
      retryable: false,
      message: "Not authenticated",
    });
  });

  it("retries a 429 after its Retry-After, since nothing was accepted", async () => {
    fake.failNext("POST", "/api/ai/queue", 429, {
      retryAfter: 3,
      body: { error: "Rate limit exceeded" },
    });
    const outcome = await provider.submit(submitInput());
    expect(fake.jobs.has(outcome.providerJobId)).toBe(true);
    expect(sleeps).toEqual([3_000]);
    expect(posts()).toHaveLength(2);
    expect(fake.jobs.size).toBe(1);
  });

  it("gives up after three rate-limited tries", async () => {
    fake.failNext("POST", "/api/ai/queue", 429, {
      times: 5,
      body: { error: "Rate limit exceeded" },
    });
    const error = await rejection(provider.submit(submitInput()));
    expect(error).toMatchObject({ code: "RATE_LIMITED", retryable: true, outcomeUnknown: false });
    expect(posts()).toHaveLength(3);
    expect(sleeps).toEqual([500, 1_000]);
  });

  it("treats an empty generations list as a refusal with the provider's reason", async () => {
    fake.failNext("POST", "/api/ai/queue", 200, {
      body: { generations: [], error: { message: "Insufficient credits" } },
    });
    const error = await rejection(provider.submit(submitInput()));
    expect(error).toMatchObject({
      message: "Insufficient credits",
      retryable: false,
      outcomeUnknown: false,
    });
  });
});

describe("Oxen findSubmitted", () => {
  let fake: FakeOxenServer;
  let provider: GenerationProvider;
  const model = oxenCatalog.text.standard.id;

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

  it("finds the active job with our model and prompt, skipping claimed and older ones", async () => {
    const createdAt = Date.now();
    const seconds = Math.floor(createdAt / 1000);
    const prompt = "a red kite over the sea";
    fake.addJob(model, { prompt }, { enqueuedAt: seconds - 120 });
    const claimed = fake.addJob(model, { prompt }, { enqueuedAt: seconds });
    fake.addJob(model, { prompt: "another prompt" }, { enqueuedAt: seconds + 1 });
    fake.addJob(oxenCatalog.text.fast.id, { prompt }, { enqueuedAt: seconds + 1 });
    const ours = fake.addJob(model, { prompt }, { enqueuedAt: seconds + 2, status: "processing" });

    const found = await provider.findSubmitted(submitInput({}, createdAt), new Set([claimed.id]));

    expect(found).toEqual({ providerJobId: ours.id, state: "running" });
    expect(fake.requests.map((request) => request.path)).toEqual([`/api/ai/queue?model=${model}`]);
  });

  it("finds nothing when no active job matches", async () => {
    const job = fake.addJob(model, { prompt: "a red kite over the sea" });
    fake.complete(job.id, { emit: false });
    expect(await provider.findSubmitted(submitInput(), new Set())).toBeUndefined();
  });
});
