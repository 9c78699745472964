import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher, FormData } from "undici";
import { requestJson } from "../http/request-json.ts";
import type { Sleep } from "../http/sleep.ts";

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

/** A multipart request with retries: PUT/DELETE on 429, 5xx and transport failures; POST on 429 only. */
export async function requestForm(
  input: FormRequest,
  dispatcher: Dispatcher,
  retry: FormRetry = {},
): Promise<FormResponse> {
  return await requestJson(
    { method: input.method, url: input.url, headers: input.headers, form: input.form },
    {
      dispatcher,
      retry: {
        maxAttempts: retry.maxAttempts ?? (input.method === "POST" ? 1 : 3),
        maxDelayMs: 5_000,
        maxRetryAfterMs: 30_000,
        ...(retry.sleep ? { sleep: retry.sleep } : {}),
        ...(retry.random ? { random: retry.random } : {}),
        ...(retry.now ? { now: retry.now } : {}),
      },
    },
  );
}
