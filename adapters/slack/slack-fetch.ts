import type { webApi } from "@slack/bolt";
import { PlatformError } from "../../src/errors.ts";
import { platform } from "./slack-context.ts";

/** Where `response_url` answers go: Slack's own hooks host, plus the API's origin (a test's fake). */
export function slackPostOrigins(apiUrl: string): string[] {
  const api = new URL(apiUrl);
  return [...new Set(["https://hooks.slack.com", "https://slack.com", api.origin])];
}

/**
 * The fetch of the Web API client and of Bolt's `respond()`, which posts to the `response_url` a
 * request names: only to Slack's own origins, so a request can never make the bot post anywhere
 * else (a `response_url` on a private address, say).
 */
export function slackOnlyFetch(
  origins: readonly string[],
  inner: webApi.FetchFunction,
): webApi.FetchFunction {
  return async (url, init) => {
    let origin: string | undefined;
    try {
      origin = new URL(String(url instanceof Request ? url.url : url)).origin;
    } catch {
      origin = undefined;
    }
    if (!origin || !origins.includes(origin)) {
      throw new PlatformError({
        message: `Refused to send a Slack answer to ${origin ?? "an unreadable URL"}: not one of Slack's hosts.`,
        platform,
        retryable: false,
      });
    }
    return await inner(url, init);
  };
}
