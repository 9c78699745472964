import type { Dispatcher } from "undici";
import { ProviderError } from "../../errors.ts";
import { openWithScopedAuth } from "../../http/open-with-scoped-auth.ts";
import { headerValue } from "../../http/request-json.ts";
import type { ResultDownload } from "../generation-provider.ts";
import { resultLinkFailure } from "../provider-http.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";

/**
 * Streams a finished video. The links point at a CDN and last 24 hours; the API key goes only to
 * the API's own host (never to the CDN, nor along a redirect elsewhere).
 */
export async function openTaskResult(
  url: string,
  options: {
    dialect: UnifiedTaskDialect;
    api: URL;
    apiKey: string;
    dispatcher?: Dispatcher | undefined;
  },
): Promise<ResultDownload> {
  const { dialect, api } = options;
  let response: Awaited<ReturnType<typeof openWithScopedAuth>>;
  try {
    response = await openWithScopedAuth(url, {
      authorizationHost: api.host,
      authorizationProtocol: api.protocol === "http:" ? "http:" : "https:",
      authorization: `Bearer ${options.apiKey}`,
      maxRedirects: 5,
      dispatcher: options.dispatcher,
    });
  } catch (error) {
    throw resultLinkFailure(dialect, error);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    // Release the socket; destroying emits an AbortError that is expected here.
    response.body.on("error", () => {}).destroy();
    // A 403/404 from the CDN means the link expired, not that the key is wrong.
    throw new ProviderError({
      message: `Could not download the video from ${dialect.label}'s link (HTTP ${response.statusCode}); its links last 24 hours.`,
      provider: dialect.name,
      statusCode: response.statusCode,
    });
  }
  const length = Number(headerValue(response.headers["content-length"]));
  const contentType = headerValue(response.headers["content-type"]);
  return {
    body: response.body,
    ...(Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
    ...(contentType ? { contentType } : {}),
  };
}
