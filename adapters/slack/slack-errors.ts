import { webApi } from "@slack/bolt";
import { errorMessage, PlatformError } from "../../src/errors.ts";

const transientErrors = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

/** The `error` string of a refused Web API call (`{ ok: false, error }`), if that is what it was. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
}

/**
 * A failure that may pass by itself: no answer at all (network, timeout), an HTTP 429 or 5xx, or
 * one of Slack's server-side error codes; not a refusal such as `invalid_auth`.
 */
export function isTransientSlackError(error: unknown): boolean {
  if (error instanceof webApi.WebAPIPlatformError) return transientErrors.has(error.data.error);
  if (error instanceof webApi.WebAPIHTTPError) {
    return error.statusCode === 429 || error.statusCode >= 500;
  }
  return true;
}

/** A failed Slack call as the service understands it: retry server trouble, not refusals. */
export function toPlatformError(error: unknown, what: string): PlatformError {
  if (error instanceof PlatformError) return error;
  let statusCode: number | undefined;
  let retryable = true;
  if (error instanceof webApi.WebAPIPlatformError) {
    retryable = transientErrors.has(error.data.error);
  } else if (error instanceof webApi.WebAPIHTTPError) {
    statusCode = error.statusCode;
    retryable = statusCode === 429 || statusCode >= 500;
  }
  const code = slackErrorCode(error);
  return new PlatformError({
    message: `Slack could not ${what}: ${code ?? errorMessage(error)}`,
    platform: "slack",
    ...(statusCode === undefined ? {} : { statusCode }),
    retryable,
    cause: error,
  });
}
