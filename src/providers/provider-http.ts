import type { Dispatcher } from "undici";
import { ProviderError } from "../errors.ts";
import { TransportError, UrlPolicyError } from "../http/http-errors.ts";
import {
  type HttpMethod,
  type JsonResponse,
  type RetryPolicy,
  requestJson,
} from "../http/request-json.ts";

export interface ProviderCall {
  json?: unknown;
  /** Total tries; idempotent calls default to 4, others to 1. */
  maxAttempts?: number;
  signal?: AbortSignal | undefined;
}

export interface BearerSenderOptions {
  apiKey: string;
  baseUrl: string;
  dispatcher?: Dispatcher | undefined;
  retry: RetryPolicy;
}

/** JSON calls to one provider's own host with its key; any HTTP status resolves, transport failures throw. */
export function createBearerSender(options: BearerSenderOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const headers = { authorization: `Bearer ${options.apiKey}` };
  const send = (method: HttpMethod, path: string, call: ProviderCall = {}): Promise<JsonResponse> =>
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
  return { baseUrl, send };
}

/** A failure below HTTP, as a ProviderError; the caller decides whether the outcome is unknown. */
export function transportFailure(
  provider: { name: string; label: string },
  error: unknown,
  options: { outcomeUnknown?: boolean } = {},
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof UrlPolicyError) {
    return new ProviderError({
      message: error.message,
      provider: provider.name,
      providerCode: error.code,
      retryable: false,
      cause: error,
    });
  }
  const transport = TransportError.from(error);
  return new ProviderError({
    message: `Could not reach ${provider.label}: ${transport.message}`,
    provider: provider.name,
    ...(transport.code ? { providerCode: transport.code } : {}),
    retryable: true,
    ...(options.outcomeUnknown ? { outcomeUnknown: true } : {}),
    cause: error,
  });
}
