import type { IncomingHttpHeaders } from "node:http";
import { ProviderError } from "../../errors.ts";
import { headerValue } from "../../http/request-json.ts";
import { parseRetryAfter } from "../../util/backoff.ts";
import { transportFailure } from "../provider-http.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import { unifiedErrorEnvelopeSchema } from "./unified-task-schemas.ts";

export interface ErrorResponse {
  statusCode: number;
  headers?: IncomingHttpHeaders;
  body: unknown;
}

export interface ErrorParts {
  /** The provider's own words, trimmed and bounded. */
  text?: string;
  /** A machine code: `error.code` when it is a word, else `error.type`. */
  code?: string;
  /** The request field the error is about (EvoLink). */
  param?: string;
}

const maxTextLength = 300;

/** Reads both error envelopes, and short plain-text bodies from proxies. */
export function errorParts(body: unknown): ErrorParts {
  const parsed = unifiedErrorEnvelopeSchema.safeParse(body);
  const error = parsed.success ? parsed.data.error : undefined;
  if (typeof error === "string") return withText({}, error);
  if (!error) return withText({}, typeof body === "string" && !body.startsWith("<") ? body : "");
  const code =
    typeof error.code === "string" && error.code.trim() ? error.code.trim() : error.type?.trim();
  return withText(
    { ...(code ? { code } : {}), ...(error.param ? { param: error.param } : {}) },
    error.message ?? "",
  );
}

function withText(parts: ErrorParts, text: string): ErrorParts {
  const trimmed = text.trim();
  if (!trimmed) return parts;
  return {
    ...parts,
    text: trimmed.length > maxTextLength ? `${trimmed.slice(0, maxTextLength)}…` : trimmed,
  };
}

/** What the user reads for an HTTP error: the documented codes in plain words, else the provider's. */
export function httpErrorMessage(
  dialect: UnifiedTaskDialect,
  statusCode: number,
  parts: ErrorParts,
): string {
  const { label } = dialect;
  const said = parts.text ?? `HTTP ${statusCode}`;
  switch (statusCode) {
    case 401:
      return `${label} refused the bot's API key; tell the bot's operator to check ${dialect.apiKeyVariable}.`;
    case 402:
      return `The bot's ${label} account is out of balance; tell the bot's operator to top it up.`;
    case 403:
      return `${label} denied the bot's API key access (${said}); tell the bot's operator.`;
    case 413:
      return `The request is too large for ${label}; send smaller or fewer files.`;
    case 429:
      return `${label} is rate limiting requests; try again in a minute.`;
  }
  switch (parts.code) {
    case "model_not_found":
      return `${label} does not offer this model to the bot's API key (${said}).`;
    case "no_compatible_channel":
      return `${label} has no capacity for this model right now (no_compatible_channel); try again in a few minutes.`;
    case "invalid_file_type":
      return `${label} cannot use one of the files: images must be JPEG, PNG or WebP, videos MP4 or MOV, audio MP3 or WAV.`;
    case "invalid_image_url":
      return `${label} could not fetch one of the images; the link must be public (${said}).`;
  }
  if (statusCode >= 400 && statusCode < 500) return `${label} rejected the request: ${said}`;
  return `${label} answered HTTP ${statusCode}: ${said}`;
}

/** Turns a non-2xx response into a ProviderError; `retryable` follows the status unless given. */
export function responseError(
  dialect: UnifiedTaskDialect,
  response: ErrorResponse,
  options: { retryable?: boolean; outcomeUnknown?: boolean; now?: number; context?: string } = {},
): ProviderError {
  const parts = errorParts(response.body);
  const retryAfterMs = parseRetryAfter(
    headerValue(response.headers?.["retry-after"]),
    options.now ?? Date.now(),
  );
  const text = httpErrorMessage(dialect, response.statusCode, parts);
  const retryable =
    options.retryable ?? (parts.code === "no_compatible_channel" ? true : undefined);
  return new ProviderError({
    message: options.context ? `${options.context}: ${text}` : text,
    provider: dialect.name,
    statusCode: response.statusCode,
    ...(parts.code ? { providerCode: parts.code } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(retryable === undefined ? {} : { retryable }),
    ...(options.outcomeUnknown ? { outcomeUnknown: true } : {}),
  });
}

/** A failure below HTTP, as a ProviderError; the caller decides whether the outcome is unknown. */
export function transportError(
  dialect: UnifiedTaskDialect,
  error: unknown,
  options: { outcomeUnknown?: boolean } = {},
): ProviderError {
  return transportFailure(dialect, error, options);
}
