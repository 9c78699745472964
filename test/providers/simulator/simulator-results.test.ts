import { stat } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { generationRequestSchema } from "../../../src/domain/generation-request.ts";
import { ProviderError } from "../../../src/errors.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import {
  bundledSampleVideoPath,
  createSimulatorProvider,
} from "../../../src/providers/simulator/index.ts";
import {
  type RecordingListener,
  readAll,
  startedSimulator,
  submitInput,
} from "./simulator-harness.ts";

describe("simulator provider: results, lookups and costs", () => {
  let provider: GenerationProvider;
  let listener: RecordingListener;

  beforeEach(async () => {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    ({ provider, listener } = await startedSimulator({ delayMs: 500 }));
  });

  afterEach(async () => {
    await provider.stop();
    vi.useRealTimers();
  });

  it("streams a playable MP4 for a finished job", async () => {
    const { providerJobId } = await provider.submit(
      submitInput({ mode: "text", prompt: "a paper boat", duration: 4 }),
    );
    await vi.advanceTimersByTimeAsync(500);
    const resultUrl = listener.updatesFor(providerJobId).at(-1)?.resultUrl ?? "";

    const download = await provider.openResult(resultUrl);
    const bytes = await readAll(download.body);

    expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(download.contentType).toBe("video/mp4");
    expect(download.contentLength).toBe(bytes.length);
    expect(bytes.length).toBe((await stat(bundledSampleVideoPath)).size);
    expect(bytes.length).toBeLessThan(300 * 1024);
  });

  it.each([
    "https://example.com/video.mp4",
    "file:///etc/passwd",
    "simulator://../../etc/passwd",
    "simulator://sim-not-a-job",
    "",
  ])("refuses to open %j", async (url) => {
    const error = await provider.openResult(url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: false });
  });

  it("refuses the result of a job that is still running", async () => {
    const { providerJobId } = await provider.submit(submitInput({ mode: "text", prompt: "soon" }));
    await expect(provider.openResult(`simulator://${providerJobId}`)).rejects.toThrow(/queued/);
  });

  it("finds a submitted job by prompt and model, honouring claimed ids", async () => {
    const input = submitInput({ mode: "text", prompt: "a lighthouse at dusk" });
    const outcome = await provider.submit(input);
    const retry = { ...input, jobId: "another-job" };

    expect(await provider.findSubmitted(retry, new Set())).toEqual(outcome);
    expect(await provider.findSubmitted(retry, new Set([outcome.providerJobId]))).toBeUndefined();
    const otherPrompt = {
      ...retry,
      request: generationRequestSchema.parse({ mode: "text", prompt: "a different lighthouse" }),
    };
    expect(await provider.findSubmitted(otherPrompt, new Set())).toBeUndefined();
    const later = { ...retry, createdAt: Date.now() + 1 };
    expect(await provider.findSubmitted(later, new Set())).toBeUndefined();
  });

  it("treats our job id as an idempotency key", async () => {
    const input = submitInput({ mode: "text", prompt: "twice" });
    const first = await provider.submit(input);
    const second = await provider.submit(input);
    expect(second.providerJobId).toBe(first.providerJobId);
    expect(vi.getTimerCount()).toBe(1);
  });

  it("costs nothing", async () => {
    const input = submitInput({ mode: "text", prompt: "free" });
    const { providerJobId } = await provider.submit(input);
    expect(provider.estimateCost(input.request, input.model)).toEqual({
      amount: 0,
      currency: "USD",
    });
    expect(await provider.fetchCost(providerJobId)).toBe(0);
  });

  it("keeps running when a listener throws", async () => {
    const other = createSimulatorProvider({
      delayMs: 100,
      ffmpegPath: null,
      logger: createSilentLogger(),
    });
    await other.start({
      onUpdate: () => {
        throw new Error("listener failure");
      },
      onConnected: () => {},
      onDisconnected: () => {},
    });
    const { providerJobId } = await other.submit(submitInput({ mode: "text", prompt: "x" }));
    await vi.advanceTimersByTimeAsync(100);
    expect((await other.getStatus(providerJobId)).state).toBe("succeeded");
    await other.stop();
  });
});
