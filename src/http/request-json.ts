import type { IncomingHttpHeaders } from "node:http";
import { type Dispatcher, type FormData, request } from "undici";
import { backoffDelay, parseRetryAfter } from "../util/backoff.ts";
import { ResponseTooLargeError, TransportError, UrlPolicyError } from "./http-errors.ts";
import { sleep as defaultSleep, type Sleep } from "./sleep.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface JsonRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  /** Sent as the JSON body. */
  json?: unknown;
  /**
   * A multipart body instead, built afresh for each try. It must be undici's own FormData, sent
   * through an Agent from the same package (Node's global dispatcher never finishes such a request).
   */
  form?: () => Promise<FormData> | FormData;
  signal?: AbortSignal;
}

export interface JsonResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
  /** How many requests were sent in all. */
  attempts: number;
}

export interface RetryPolicy {
  /** Total tries, the first included; 1 disables retrying. */
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the last response is returned instead. */
  maxRetryAfterMs?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

export interface JsonRequestOptions {
  dispatcher?: Dispatcher | undefined;
  retry?: RetryPolicy | undefined;
  /** Longest answer read (PROVIDER_MAX_RESPONSE_BYTES); a longer one fails without being parsed. */
  maxResponseBytes?: number | undefined;
}

/** 32 MiB: a queue list of ten thousand jobs with long prompts, with room to spare. */
export const defaultMaxResponseBytes = 32 * 1024 ** 2;

const idempotentMethods = new Set<HttpMethod>(["GET", "PUT", "DELETE"]);

/** Sends one request and reads the whole body. Any HTTP status resolves; transport failures throw. */
export async function sendJson(
  input: JsonRequest,
  dispatcher?: Dispatcher,
  maxResponseBytes = defaultMaxResponseBytes,
): Promise<Omit<JsonResponse, "attempts">> {
  assertHttpUrl(input.url);
  const headers: Record<string, string> = { accept: "application/json", ...input.headers };
  if (input.json !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await request(input.url, {
      method: input.method,
      headers,
      ...(input.json === undefined ? {} : { body: JSON.stringify(input.json) }),
      ...(input.form ? { body: await input.form() } : {}),
      ...(dispatcher ? { dispatcher } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    const text = await readText(response.body, response.headers, maxResponseBytes);
    return { statusCode: response.statusCode, headers: response.headers, body: parseBody(text) };
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error;
    throw TransportError.from(error);
  }
}

/** The body as text, refused from its Content-Length or as soon as it grows past `maxBytes`. */
async function readText(
  body: Dispatcher.ResponseData["body"],
  headers: IncomingHttpHeaders,
  maxBytes: number,
): Promise<string> {
  const tooLarge = () => {
    body.on("error", () => undefined).destroy();
    return new ResponseTooLargeError(maxBytes);
  };
  if (Number(headerValue(headers["content-length"])) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Sends a request and reads a JSON answer. Idempotent methods are retried on 429, 5xx and transport
 * failures; other methods only on 429 or a failure before anything was sent (the server certainly
 * did not act). Retry-After is honoured, else backoff.
 */
export async function requestJson(
  input: JsonRequest,
  options: JsonRequestOptions = {},
): Promise<JsonResponse> {
  const policy = options.retry ?? {};
  const maxAttempts = policy.maxAttempts ?? (idempotentMethods.has(input.method) ? 4 : 1);
  const wait = policy.sleep ?? defaultSleep;
  const now = policy.now ?? Date.now;
  const idempotent = idempotentMethods.has(input.method);
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= maxAttempts;
    let response: Omit<JsonResponse, "attempts">;
    try {
      response = await sendJson(input, options.dispatcher, options.maxResponseBytes);
    } catch (error) {
      const notSent = error instanceof TransportError && !error.requestMayHaveBeenSent;
      // A refused address or an oversized answer will be the same next time.
      const final = error instanceof UrlPolicyError || error instanceof ResponseTooLargeError;
      if (last || final || !(idempotent || notSent) || input.signal?.aborted) throw error;
      await wait(delayFor(attempt, undefined, policy), input.signal);
      continue;
    }
    const retryable = response.statusCode === 429 || (idempotent && response.statusCode >= 500);
    if (!retryable || last) return { ...response, attempts: attempt };
    const retryAfter = parseRetryAfter(headerValue(response.headers["retry-after"]), now());
    if (retryAfter !== undefined && retryAfter > (policy.maxRetryAfterMs ?? 60_000)) {
      return { ...response, attempts: attempt };
    }
    await wait(delayFor(attempt, retryAfter, policy), input.signal);
    if (input.signal?.aborted) return { ...response, attempts: attempt };
  }
}

function delayFor(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  return backoffDelay(attempt - 1, {
    initialMs: policy.initialDelayMs ?? 500,
    maxMs: policy.maxDelayMs ?? 10_000,
    ...(policy.random ? { random: policy.random } : {}),
  });
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function assertHttpUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UrlPolicyError("The URL is not valid.", "UNSUPPORTED_PROTOCOL");
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new UrlPolicyError(
      `Only http and https URLs are fetched (got ${parsed.protocol}).`,
      "UNSUPPORTED_PROTOCOL",
    );
  }
  return parsed;
}

function parseBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
