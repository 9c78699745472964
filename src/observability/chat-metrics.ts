/** Why a finished video did not go up as a file the first time. */
export type DeliveryFailureCause =
  /** Over the upload limit, or refused as too large: posted as a link instead. */
  | "too_large"
  /** The platform does not take files (or videos) here: posted as a link instead. */
  | "uploads_disabled"
  /** The upload itself failed (the service retries it). */
  | "upload_error"
  /** Too large, and there was no link to post instead. */
  | "no_link"
  /** Posting the link failed (the service retries it). */
  | "link_error";

/**
 * What chat adapters report about their platform. Adapters get this interface (never prom-client),
 * and every method is cheap and synchronous.
 */
export interface ChatMetrics {
  /** From receiving a platform event to having acknowledged it (defer, ack, answer). */
  acknowledged(platform: string, seconds: number): void;
  /** A chat API call refused or failed: an HTTP status ("429"), a Slack error ("not_in_channel"), or "network". */
  apiError(platform: string, code: string): void;
  deliveryFailed(platform: string, cause: DeliveryFailureCause): void;
}

/** For adapters run without metrics (tests, scripts). */
export const noChatMetrics: ChatMetrics = {
  acknowledged: () => {},
  apiError: () => {},
  deliveryFailed: () => {},
};
