import { BotError, ProviderError, UserFacingError } from "../errors.ts";

const facePattern = /face|portrait|real (human|person)|inspection|sensitive/i;
const creditsPattern = /insufficient (credits|balance|quota)|payment|402/i;

/** A provider's failure reason, worded for the user, with a hint when one helps. */
export function describeProviderFailure(reason: string | undefined): string {
  const text = reason?.trim() || "The provider did not say why.";
  if (facePattern.test(text)) {
    return `${text} — if the picture shows a real person, set has_face (or add --face) and try again.`;
  }
  if (creditsPattern.test(text)) {
    return `${text} — the bot's provider account is out of credits; tell the bot's operator.`;
  }
  return text;
}

/** Why a create call failed, worded for the user; never leaks credentials or internals. */
export function describeSubmitError(error: unknown): string {
  if (error instanceof UserFacingError) return error.message;
  if (error instanceof ProviderError) {
    if (error.statusCode === 401 || error.statusCode === 403) {
      const variable = `${error.provider.toUpperCase()}_API_KEY`;
      return `The provider refused the bot's API key; tell the bot's operator to check ${variable}.`;
    }
    if (error.statusCode === 429)
      return "The provider is rate limiting requests; try again in a minute.";
    return describeProviderFailure(error.message);
  }
  if (error instanceof BotError) return error.message;
  return "The request could not be sent to the provider; try again in a moment.";
}

export const unknownOutcomeMessage =
  "The provider did not confirm this request in time, and the bot could not find it there. " +
  "It was not re-sent, so you are not charged twice; press 🔁 to try again.";
