import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { ProviderError } from "../../../src/errors.ts";
import { sleep } from "../../../src/http/sleep.ts";
import type {
  GenerationProvider,
  ProviderUpdate,
} from "../../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../../fakes/fake-oxen-server.ts";
import { captureLogs, until, useOxenFakeTimers } from "./oxen-test-helpers.ts";

describe("Oxen reads under rate limits and outages", () => {
  let fake: FakeOxenServer;
  let provider: GenerationProvider;
  let jobId: string;
  /** Every wait the provider started (each one a fake timer). */
  const waits: number[] = [];
  const statusReads = () =>
    fake.requests.filter((request) => request.pathname === `/api/ai/queue/${jobId}`);

  beforeEach(async () => {
    fake = await startFakeOxenServer();
    jobId = fake.addJob(oxenCatalog.text.standard.id, { prompt: "p" }).id;
    useOxenFakeTimers();
    provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: captureLogs().logger,
      random: () => 0.5,
      sleep: (milliseconds, signal) => {
        waits.push(milliseconds);
        return sleep(milliseconds, signal);
      },
    });
    waits.length = 0;
  });

  afterEach(async () => {
    vi.useRealTimers();
    await provider.stop();
    await fake.close();
  });

  it("waits exactly the Retry-After of a 429 before asking again", async () => {
    fake.failNext("GET", `/api/ai/queue/${jobId}`, 429, {
      retryAfter: 2,
      body: { error: "Rate limit exceeded" },
    });
    let result: ProviderUpdate | undefined;
    void provider.getStatus(jobId).then((update) => {
      result = update;
    });
    await until(() => waits.length === 1, "the first read");
    expect(waits).toEqual([2_000]);

    await vi.advanceTimersByTimeAsync(1_999);
    expect(statusReads()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => result !== undefined, "the retried read");

    expect(statusReads()).toHaveLength(2);
    expect(result).toEqual({ providerJobId: jobId, state: "queued" });
  });

  it("backs off on 5xx and gives up after four tries with the provider's reason", async () => {
    fake.failNext("GET", `/api/ai/queue/${jobId}`, 503, {
      times: 10,
      body: { error: { type: "unknown_error", title: "Service unavailable" } },
    });
    let failure: unknown;
    void provider.getStatus(jobId).catch((error: unknown) => {
      failure = error;
    });
    // 500 ms, 1 s, 2 s between the four tries (no jitter with random = 0.5).
    for (const [delay, reads] of [
      [500, 2],
      [1_000, 3],
      [2_000, 4],
    ] as const) {
      await until(() => waits.length === reads - 1, `the wait after read ${reads - 1}`);
      expect(waits.at(-1)).toBe(delay);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(statusReads()).toHaveLength(reads - 1);
      await vi.advanceTimersByTimeAsync(1);
      await until(() => statusReads().length === reads, `read ${reads}`);
    }
    await until(() => failure !== undefined, "the final failure");
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({
      statusCode: 503,
      retryable: true,
      message: "Service unavailable",
    });
    expect(statusReads()).toHaveLength(4);
  });
});
