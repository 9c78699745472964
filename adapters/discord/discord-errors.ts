import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from "discord.js";
import { errorMessage, PlatformError } from "../../src/errors.ts";

/** A failed Discord call as the service understands it: retry server trouble, not refusals. */
export function toPlatformError(error: unknown, what: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const statusCode =
    error instanceof DiscordAPIError || error instanceof HTTPError ? error.status : undefined;
  const retryable = statusCode === undefined || statusCode === 429 || statusCode >= 500;
  return new PlatformError({
    message: `Discord could not ${what}: ${errorMessage(error)}`,
    platform: "discord",
    ...(statusCode === undefined ? {} : { statusCode }),
    retryable,
    cause: error,
  });
}

export function isUnknownMessage(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === RESTJSONErrorCodes.UnknownMessage || error.status === 404)
  );
}

/** The upload was bigger than Discord accepts here, whatever we believed the limit to be. */
export function isTooLarge(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.status === 413 || error.code === RESTJSONErrorCodes.RequestEntityTooLarge)
  );
}
