import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from "discord.js";
import { errorMessage, PlatformError } from "../../src/errors.ts";

/** A failed Discord call as the service understands it: retry server trouble, not refusals. */
export function toPlatformError(error: unknown, what: string): PlatformError {
  if (error instanceof PlatformError) return error;
  if (isClosedDirectMessages(error)) {
    return new PlatformError({
      message:
        "Discord does not let the bot message you directly (your direct messages from this server's members are off). Turn on Direct Messages in the server's Privacy Settings, then press 📤 Post again",
      platform: "discord",
      statusCode: 403,
      retryable: false,
      cause: error,
    });
  }
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

/** The requester does not accept direct messages from the bot (50007): retrying cannot help. */
export function isClosedDirectMessages(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser
  );
}
