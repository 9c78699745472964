import type { Dispatcher } from "undici";
import { ProviderError } from "../../errors.ts";
import { openWithScopedAuth } from "../../http/open-with-scoped-auth.ts";
import { headerValue } from "../../http/request-json.ts";
import type { ResultDownload } from "../generation-provider.ts";
import { resultLinkFailure } from "../provider-http.ts";

export interface ResultLinkOptions {
  provider: { name: string; label: string };
  /** The API's own host: the only one that is sent `authorization`. */
  api: URL;
  authorization: string;
  /** Added to a failed download's message, e.g. "its links last 24 hours". */
  linkLifetime?: string;
  /** Who the link is from in that message; defaults to `provider.label`. */
  linkOwner?: string;
  dispatcher?: Dispatcher | undefined;
}

/**
 * Streams a finished video from a provider's CDN or object store. The key goes only to the API's
 * own host (never to the CDN, nor along a redirect elsewhere). Shared by every polled provider.
 */
export async function openResultLink(
  url: string,
  options: ResultLinkOptions,
): Promise<ResultDownload> {
  const { provider, api } = options;
  let response: Awaited<ReturnType<typeof openWithScopedAuth>>;
  try {
    response = await openWithScopedAuth(url, {
      authorizationHost: api.host,
      authorizationProtocol: api.protocol === "http:" ? "http:" : "https:",
      authorization: options.authorization,
      maxRedirects: 5,
      dispatcher: options.dispatcher,
    });
  } catch (error) {
    throw resultLinkFailure(provider, error);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    // Release the socket; destroying emits an AbortError that is expected here.
    response.body.on("error", () => {}).destroy();
    // A 403/404 from the CDN means the link expired, not that the key is wrong.
    const lifetime = options.linkLifetime ? `; ${options.linkLifetime}` : "";
    throw new ProviderError({
      message: `Could not download the video from ${options.linkOwner ?? provider.label}'s link (HTTP ${response.statusCode})${lifetime}.`,
      provider: provider.name,
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
