import type { Dispatcher } from "undici";
import type { ZodType } from "zod";
import { ProviderError } from "../../errors.ts";
import { TransportError } from "../../http/http-errors.ts";
import { type JsonResponse, type RetryPolicy, requestJson } from "../../http/request-json.ts";
import { transportFailure } from "../provider-http.ts";
import { falLabel, falResponseError } from "./fal-errors.ts";
import { falAppId } from "./fal-models.ts";
import {
  type FalStatus,
  falResultSchema,
  falStatusSchema,
  falSubmitSchema,
} from "./fal-schemas.ts";

export interface FalClientOptions {
  apiKey: string;
  queueUrl: string;
  dispatcher?: Dispatcher | undefined;
  retry: RetryPolicy;
  maxResponseBytes?: number | undefined;
}

/** Answers that say nothing about the request itself: read it again later. */
const transientStatuses = new Set([408, 429, 502, 503, 504]);

type Call = { maxAttempts?: number; signal?: AbortSignal | undefined };
export type FalRead<T> = { kind: "found"; value: T } | { kind: "missing"; reason: string };

/**
 * fal's queue, with `Authorization: Key …` sent only to the queue host. Paths are built from the
 * request id under the app id (fal's documented rule: a subpath such as `/fast/text-to-video` is
 * part of the submit path, not of the status, result or cancel paths), never from URLs in answers.
 */
export function createFalClient(options: FalClientOptions) {
  const queueUrl = options.queueUrl.replace(/\/+$/, "");
  const now = () => (options.retry.now ?? Date.now)();
  const requestsPath = `${queueUrl}/${falAppId}/requests/`;

  const send = async (
    method: "GET" | "POST" | "PUT",
    url: string,
    call: Call & { json?: unknown } = {},
  ): Promise<JsonResponse> =>
    requestJson(
      {
        method,
        url,
        headers: { authorization: `Key ${options.apiKey}` },
        ...(call.json === undefined ? {} : { json: call.json }),
        ...(call.signal ? { signal: call.signal } : {}),
      },
      {
        dispatcher: options.dispatcher,
        maxResponseBytes: options.maxResponseBytes,
        retry: {
          ...options.retry,
          ...(call.maxAttempts === undefined ? {} : { maxAttempts: call.maxAttempts }),
        },
      },
    );

  const read = async <T>(url: string, schema: ZodType<T>, what: string, call: Call) => {
    let response: JsonResponse;
    try {
      response = await send("GET", url, call);
    } catch (error) {
      throw transportFailure(falLabel, error);
    }
    return { response, parse: () => parse(schema, response.body, what) };
  };

  return {
    queueUrl,
    /** One POST; only a 429 (certainly not accepted) is retried. Lost answers: outcomeUnknown. */
    async submit(path: string, input: unknown, webhookUrl: string | undefined) {
      const query = webhookUrl ? `?fal_webhook=${encodeURIComponent(webhookUrl)}` : "";
      let response: JsonResponse;
      try {
        response = await send("POST", `${queueUrl}${path}${query}`, {
          json: input,
          maxAttempts: 3,
        });
      } catch (error) {
        const mayHaveBeenSent = !(error instanceof TransportError) || error.requestMayHaveBeenSent;
        throw transportFailure(falLabel, error, { outcomeUnknown: mayHaveBeenSent });
      }
      if (response.statusCode >= 500 || response.statusCode === 408) {
        throw falResponseError(response, {
          now: now(),
          outcomeUnknown: true,
          context: "fal.ai did not confirm the request; it may exist anyway",
        });
      }
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw falResponseError(response, { now: now() });
      }
      return parse(falSubmitSchema, response.body, "the queue submit");
    },
    async status(requestId: string, call: Call = {}): Promise<FalRead<FalStatus>> {
      const url = `${requestsPath}${encodeURIComponent(requestId)}/status`;
      const { response, parse: parsed } = await read(url, falStatusSchema, "a status read", call);
      if (response.statusCode === 404) return { kind: "missing", reason: "HTTP 404" };
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw falResponseError(response, { now: now() });
      }
      return { kind: "found", value: parsed() };
    },
    /** The result, or fal's error answer for a request that failed (its body says why). */
    async result(requestId: string, call: Call = {}) {
      const url = `${requestsPath}${encodeURIComponent(requestId)}`;
      const { response, parse: parsed } = await read(url, falResultSchema, "a result read", call);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        return { kind: "video" as const, url: parsed().video.url };
      }
      if (transientStatuses.has(response.statusCode)) {
        throw falResponseError(response, { now: now() });
      }
      return { kind: "error" as const, response };
    },
    async cancel(requestId: string) {
      const url = `${requestsPath}${encodeURIComponent(requestId)}/cancel`;
      try {
        return await send("PUT", url, { maxAttempts: 3 });
      } catch (error) {
        throw transportFailure(falLabel, error);
      }
    },
  };
}
export type FalClient = ReturnType<typeof createFalClient>;

function parse<T>(schema: ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
  throw new ProviderError({
    message: `fal.ai sent an unexpected answer to ${what}${where}`,
    provider: falLabel.name,
    retryable: false,
    cause: parsed.error,
  });
}
