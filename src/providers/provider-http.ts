import type { Dispatcher } from "undici";
import { ProviderError } from "../errors.ts";
import { ResponseTooLargeError, TransportError, UrlPolicyError } from "../http/http-errors.ts";
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
  /** PROVIDER_MAX_RESPONSE_BYTES; `request-json.ts` has the default. */
  maxResponseBytes?: number | undefined;
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
        maxResponseBytes: options.maxResponseBytes,
        retry: {
          ...options.retry,
          ...(call.maxAttempts === undefined ? {} : { maxAttempts: call.maxAttempts }),
        },
      },
    );
  return { baseUrl, send };
}

const sizeOf = (bytes: number) =>
  bytes >= 1024 ** 2 ? `${Math.round(bytes / 1024 ** 2)} MB` : `${Math.round(bytes / 1024)} KB`;

/** A failure below HTTP, as a ProviderError; the caller decides whether the outcome is unknown. */
export function transportFailure(
  provider: { name: string; label: string },
  error: unknown,
  options: { outcomeUnknown?: boolean } = {},
): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof ResponseTooLargeError) {
    return new ProviderError({
      message: `${provider.label} sent an answer larger than the ${sizeOf(error.maxBytes)} the bot reads (PROVIDER_MAX_RESPONSE_BYTES); it was not read.`,
      provider: provider.name,
      providerCode: error.code,
      retryable: false,
      ...(options.outcomeUnknown ? { outcomeUnknown: true } : {}),
      cause: error,
    });
  }
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

const unusableReasons: Record<UrlPolicyError["code"], string> = {
  BLOCKED_ADDRESS: "it leads to a private or local address",
  INSECURE_REDIRECT: "it redirects from https to http",
  TOO_MANY_REDIRECTS: "it redirects too many times",
  UNSUPPORTED_PROTOCOL: "it is not an http or https link",
};

/**
 * A result link the bot refuses to open, worded for the card. Anything else is a transport
 * failure as usual.
 */
export function resultLinkFailure(
  provider: { name: string; label: string },
  error: unknown,
): ProviderError {
  if (!(error instanceof UrlPolicyError)) return transportFailure(provider, error);
  return new ProviderError({
    message: `${provider.label} returned an unusable link for the video (${unusableReasons[error.code]}), so the bot did not download it; tell the bot's operator.`,
    provider: provider.name,
    providerCode: error.code,
    retryable: false,
    cause: error,
  });
}
