import { afterEach, describe, expect, it } from "vitest";
import { ProviderError, UserFacingError } from "../../../src/errors.ts";
import type { ScriptedFault } from "../../fakes/fake-unified-task-server.ts";
import { errorBody } from "../../fakes/fake-unified-task-tasks.ts";
import { advanceUndiciClock } from "../../support/undici-clock.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  dialects,
  headersTimeoutMs,
  type ProviderUnderTest,
  providerAgainstFake,
  submitInput,
} from "./unified-task-test-helpers.ts";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const createPath = "/v1/videos/generations";

describe.each(dialects)("%s submit", (dialect) => {
  let subject: ProviderUnderTest;
  const sleeps: number[] = [];
  const label = dialect === "aihubmax" ? "AIHubMax" : "EvoLink";
  const posts = () => subject.fake.requests.filter((request) => request.method === "POST");

  async function setUp(options: Parameters<typeof providerAgainstFake>[1] = {}) {
    sleeps.length = 0;
    subject = await providerAgainstFake(dialect, {
      start: false,
      ...options,
      provider: {
        sleep: async (milliseconds) => {
          sleeps.push(milliseconds);
        },
        ...options.provider,
      },
    });
  }

  afterEach(async () => {
    await subject.close();
  });

  it("creates one task with the bearer key and reports it queued", async () => {
    await setUp();
    const outcome = await subject.provider.submit(submitInput(dialect, { duration: 5 }));
    expect(outcome.state).toBe("queued");
    expect(subject.fake.tasks.get(outcome.providerJobId)?.body).toMatchObject({ duration: 5 });
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.headers.authorization).toBe(`Bearer ${subject.fake.apiKey}`);
    expect(subject.logs.text()).not.toContain(subject.fake.apiKey);
  });

  it.each<[string, number, ScriptedFault]>([
    ["a 502", 502, {}],
    ["a timeout", 200, { hang: true }],
    ["a connection reset", 200, { reset: true }],
  ])("never re-sends after %s: the outcome is unknown", async (_name, status, fault) => {
    await setUp();
    subject.fake.failNext("POST", createPath, status, fault);
    const submitted = rejection(subject.provider.submit(submitInput(dialect)));
    if (fault.hang) {
      // The fake never answers: fire the client's headersTimeout once the create has arrived.
      await waitUntil(() => posts().length === 1, { message: "the create to reach the fake" });
      advanceUndiciClock(headersTimeoutMs);
    }
    const error = await submitted;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ outcomeUnknown: true, code: "PROVIDER_OUTCOME_UNKNOWN" });
    expect(posts()).toHaveLength(1);
    expect(await subject.provider.findSubmitted(submitInput(dialect), new Set())).toBeUndefined();
    expect(posts()).toHaveLength(1);
  });

  it("knows a refused connection sent nothing: retryable, not an unknown outcome", async () => {
    await setUp({ provider: { baseUrl: "http://127.0.0.1:1" } });
    const error = await rejection(subject.provider.submit(submitInput(dialect)));
    expect(error).toMatchObject({ outcomeUnknown: false, retryable: true });
    expect(error.message).toMatch(new RegExp(`Could not reach ${label}.*ECONNREFUSED`));
  });

  it("retries a 429 (never accepted) after its Retry-After, at most 3 tries", async () => {
    await setUp();
    subject.fake.failNext("POST", createPath, 429, { retryAfter: 2, times: 1 });
    const outcome = await subject.provider.submit(submitInput(dialect));
    expect(outcome.state).toBe("queued");
    expect(sleeps).toEqual([2_000]);
    expect(posts()).toHaveLength(2);

    subject.fake.failNext("POST", createPath, 429, { retryAfter: 1, times: 3 });
    const error = await rejection(subject.provider.submit(submitInput(dialect)));
    expect(error).toMatchObject({
      code: "RATE_LIMITED",
      retryable: true,
      outcomeUnknown: false,
      retryAfterMs: 1_000,
    });
    expect(posts()).toHaveLength(5);
  });

  it.each([
    [
      401,
      "authentication_error",
      `${label} refused the bot's API key; tell the bot's operator to check ${dialect.toUpperCase()}_API_KEY.`,
    ],
    [
      402,
      "insufficient_quota_error",
      `The bot's ${label} account is out of balance; tell the bot's operator to top it up.`,
    ],
    [
      413,
      "request_too_large_error",
      `The request is too large for ${label}; send smaller or fewer files.`,
    ],
    [
      422,
      "no_compatible_channel",
      `${label} has no capacity for this model right now (no_compatible_channel); try again in a few minutes.`,
    ],
    [
      422,
      "invalid_image_url",
      `${label} could not fetch one of the images; the link must be public (Scripted message).`,
    ],
    [
      422,
      "invalid_file_type",
      `${label} cannot use one of the files: images must be JPEG, PNG or WebP, videos MP4 or MOV, audio MP3 or WAV.`,
    ],
    [400, "invalid_request_error", `${label} rejected the request: Scripted message`],
  ])("turns HTTP %i %s into a clear message, without re-sending", async (status, code, message) => {
    await setUp();
    const body = errorBody(dialect, status, code, "Scripted message");
    subject.fake.failNext("POST", createPath, status, { body });
    const error = await rejection(subject.provider.submit(submitInput(dialect)));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(message);
    expect(error).toMatchObject({ statusCode: status, outcomeUnknown: false });
    expect(posts()).toHaveLength(1);
  });

  it("refuses what the model or API cannot do before sending anything", async () => {
    await setUp();
    const fastHd = rejection(
      subject.provider.submit(submitInput(dialect, { tier: "fast", resolution: "1080p" })),
    );
    expect(await fastHd).toBeInstanceOf(UserFacingError);
    const watermark = await rejection(
      subject.provider.submit(submitInput(dialect, { watermark: true })),
    );
    expect(watermark).toBeInstanceOf(UserFacingError);
    expect(watermark.message).toBe(
      `watermark is not available on ${label}; leave it off to send this request.`,
    );
    expect(posts()).toHaveLength(0);
  });

  it("sends callback_url under the public base with a secret path segment", async () => {
    await setUp({ provider: { callbackBaseUrl: "https://bot.example/" } });
    const outcome = await subject.provider.submit(submitInput(dialect));
    const sent = subject.fake.tasks.get(outcome.providerJobId)?.body.callback_url;
    expect(sent).toMatch(
      new RegExp(`^https://bot\\.example/provider-callbacks/${dialect}/[\\w-]{32}$`),
    );
    expect(subject.provider.callbackRoute?.path).toBe(`/provider-callbacks/${dialect}/`);
    expect(subject.logs.text()).not.toContain(String(sent).split("/").at(-1));
  });

  it("drops callback_url for good when the API refuses it, re-sending only that refused create", async () => {
    await setUp({
      provider: { callbackBaseUrl: "https://bot.example" },
      fake: { refuseCallbackUrl: true },
    });
    const first = await subject.provider.submit(submitInput(dialect));
    expect(first.state).toBe("queued");
    await subject.provider.submit(submitInput(dialect));
    const bodies = subject.fake.creates() as Array<Record<string, unknown>>;
    expect(bodies.map((body) => "callback_url" in body)).toEqual([true, false, false]);
    expect(subject.fake.tasks.size).toBe(2);
    expect(subject.logs.messages("warn")).toEqual([
      `${label} refused callback_url; relying on polling`,
    ]);
  });
});
