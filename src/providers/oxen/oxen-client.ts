import type { Dispatcher } from "undici";
import type { z } from "zod";
import { ProviderError } from "../../errors.ts";
import { TransportError, UrlPolicyError } from "../../http/http-errors.ts";
import {
  type HttpMethod,
  type JsonResponse,
  type RetryPolicy,
  requestJson,
} from "../../http/request-json.ts";
import { oxenProviderName, oxenResponseError } from "./oxen-errors.ts";

export interface OxenClientOptions {
  apiKey: string;
  baseUrl: string;
  dispatcher?: Dispatcher | undefined;
  retry: RetryPolicy;
}

export interface OxenCall {
  json?: unknown;
  /** Total tries; idempotent calls default to 4, others to 1. */
  maxAttempts?: number;
  signal?: AbortSignal | undefined;
}

/** Thin JSON client for the hub: auth, retries for reads, and errors as ProviderError. */
export interface OxenClient {
  readonly baseUrl: string;
  /** Any HTTP status resolves; only transport failures throw (as TransportError). */
  send(method: HttpMethod, path: string, call?: OxenCall): Promise<JsonResponse>;
  /** GET, expecting 2xx and a body matching `schema`; anything else throws ProviderError. */
  getJson<T>(path: string, schema: z.ZodType<T>, call?: OxenCall): Promise<T>;
}

export function createOxenClient(options: OxenClientOptions): OxenClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${options.apiKey}` };

  const send: OxenClient["send"] = (method, path, call = {}) =>
    requestJson(
      {
        method,
        url: `${baseUrl}${path}`,
        headers,
        ...(call.json === undefined ? {} : { json: call.json }),
        ...(call.signal ? { signal: call.signal } : {}),
      },
      {
        dispatcher: options.dispatcher,
        retry: {
          ...options.retry,
          ...(call.maxAttempts === undefined ? {} : { maxAttempts: call.maxAttempts }),
        },
      },
    );

  const getJson = async <T>(path: string, schema: z.ZodType<T>, call: OxenCall = {}) => {
    let response: JsonResponse;
    try {
      response = await send("GET", path, call);
    } catch (error) {
      throw transportProviderError(error);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw oxenResponseError(response, { now: (options.retry.now ?? Date.now)() });
    }
    return parseOxenResponse(schema, response.body, `GET ${path.split("?")[0]}`);
  };

  return { baseUrl, send, getJson };
}

export function parseOxenResponse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
  throw new ProviderError({
    message: `Oxen sent an unexpected answer to ${what}${where}`,
    provider: oxenProviderName,
    retryable: false,
    cause: parsed.error,
  });
}

/** A failure below HTTP, as a ProviderError; the caller decides whether the outcome is unknown. */
export function transportProviderError(
  error: unknown,
  options: { outcomeUnknown?: boolean } = {},
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof UrlPolicyError) {
    return new ProviderError({
      message: error.message,
      provider: oxenProviderName,
      providerCode: error.code,
      retryable: false,
      cause: error,
    });
  }
  const transport = TransportError.from(error);
  return new ProviderError({
    message: `Could not reach Oxen: ${transport.message}`,
    provider: oxenProviderName,
    ...(transport.code ? { providerCode: transport.code } : {}),
    retryable: true,
    ...(options.outcomeUnknown ? { outcomeUnknown: true } : {}),
    cause: error,
  });
}
