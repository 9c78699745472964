import type { IncomingHttpHeaders } from "node:http";
import { ProviderError } from "../../errors.ts";
import { headerValue } from "../../http/request-json.ts";
import { parseRetryAfter } from "../../util/backoff.ts";
import { oxenErrorEnvelopeSchema } from "./oxen-schemas.ts";

export const oxenProviderName = "oxen";

/**
 * The provider's own words for an error: the first non-empty of `error` (a string), `error.detail`,
 * `error.message`, `error.title`, `error_message`, `status_message`.
 */
export function oxenErrorText(body: unknown): string | undefined {
  const parsed = oxenErrorEnvelopeSchema.safeParse(body);
  if (!parsed.success) return plainText(body);
  const { error, error_message: errorMessage, status_message: statusMessage } = parsed.data;
  const candidates =
    typeof error === "string"
      ? [error, errorMessage, statusMessage]
      : [error?.detail, error?.message, error?.title, errorMessage, statusMessage];
  return candidates.map((value) => value?.trim()).find((value) => value);
}

/** The machine-readable code: `error.type`, else `status_message`. */
export function oxenErrorCode(body: unknown): string | undefined {
  const parsed = oxenErrorEnvelopeSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { error, status_message: statusMessage } = parsed.data;
  const type = typeof error === "object" && error ? error.type : undefined;
  return type || statusMessage || undefined;
}

export interface OxenErrorResponse {
  statusCode: number;
  headers?: IncomingHttpHeaders;
  body: unknown;
}

/** Turns a non-2xx response into a ProviderError; `retryable` follows the status unless given. */
export function oxenResponseError(
  response: OxenErrorResponse,
  options: { retryable?: boolean; outcomeUnknown?: boolean; now?: number; context?: string } = {},
): ProviderError {
  const text = oxenErrorText(response.body);
  const code = oxenErrorCode(response.body);
  const retryAfterMs = parseRetryAfter(
    headerValue(response.headers?.["retry-after"]),
    options.now ?? Date.now(),
  );
  const fallback = `Oxen answered HTTP ${response.statusCode}`;
  const message = options.context ? `${options.context}: ${text ?? fallback}` : (text ?? fallback);
  return new ProviderError({
    message,
    provider: oxenProviderName,
    statusCode: response.statusCode,
    ...(code ? { providerCode: code } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
    ...(options.outcomeUnknown ? { outcomeUnknown: true } : {}),
  });
}

/** A short non-JSON body (e.g. "Bad Gateway") is still worth showing; HTML is not. */
function plainText(body: unknown): string | undefined {
  if (typeof body !== "string") return undefined;
  const text = body.trim();
  if (text === "" || text.startsWith("<") || text.length > 300) return undefined;
  return text;
}
