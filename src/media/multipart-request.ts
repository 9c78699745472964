import type { IncomingHttpHeaders } from "node:http";
import { type Dispatcher, type FormData, request } from "undici";
import { TransportError } from "../http/http-errors.ts";
import { assertHttpUrl, headerValue } from "../http/request-json.ts";
import { sleep as defaultSleep, type Sleep } from "../http/sleep.ts";
import { backoffDelay, parseRetryAfter } from "../util/backoff.ts";

export interface FormRequest {
  method: "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  /** Called for each attempt, so every try sends a fresh body. */
  form: () => Promise<FormData> | FormData;
}

export interface FormResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text, or undefined when empty. */
  body: unknown;
}

export interface FormRetry {
  /** Total tries; PUT and DELETE default to 3, POST to 1 (a 429 is the only POST retry). */
  maxAttempts?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

/**
 * Sends a multipart request with undici's `request` and the given dispatcher. The FormData must
 * come from the same `undici` package (`import { FormData } from "undici"`), and the dispatcher
 * must be an Agent from it too: through Node's built-in global dispatcher a FormData body from the
 * npm package is refused or never finishes. Transport failures throw TransportError.
 */
export async function sendForm(input: FormRequest, dispatcher: Dispatcher): Promise<FormResponse> {
  assertHttpUrl(input.url);
  try {
    const response = await request(input.url, {
      method: input.method,
      headers: { accept: "application/json", ...input.headers },
      body: await input.form(),
      dispatcher,
    });
    const text = await response.body.text();
    return { statusCode: response.statusCode, headers: response.headers, body: parseBody(text) };
  } catch (error) {
    throw TransportError.from(error);
  }
}

/** `sendForm` with retries: PUT/DELETE on 429, 5xx and transport failures; POST on 429 only. */
export async function requestForm(
  input: FormRequest,
  dispatcher: Dispatcher,
  retry: FormRetry = {},
): Promise<FormResponse> {
  const idempotent = input.method !== "POST";
  const maxAttempts = retry.maxAttempts ?? (idempotent ? 3 : 1);
  const wait = retry.sleep ?? defaultSleep;
  const now = retry.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= maxAttempts;
    let response: FormResponse;
    try {
      response = await sendForm(input, dispatcher);
    } catch (error) {
      const notSent = error instanceof TransportError && !error.requestMayHaveBeenSent;
      if (last || !(idempotent || notSent)) throw error;
      await wait(delay(attempt, undefined, retry));
      continue;
    }
    const retryable = response.statusCode === 429 || (idempotent && response.statusCode >= 500);
    if (!retryable || last) return response;
    const retryAfter = parseRetryAfter(headerValue(response.headers["retry-after"]), now());
    if (retryAfter !== undefined && retryAfter > 30_000) return response;
    await wait(delay(attempt, retryAfter, retry));
  }
}

function delay(attempt: number, retryAfterMs: number | undefined, retry: FormRetry): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return backoffDelay(attempt - 1, {
    initialMs: 500,
    maxMs: 5_000,
    ...(retry.random ? { random: retry.random } : {}),
  });
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
