import type { Dispatcher } from "undici";
import { ProviderError } from "../../errors.ts";
import { openWithScopedAuth } from "../../http/open-with-scoped-auth.ts";
import { headerValue } from "../../http/request-json.ts";
import type { ResultDownload } from "../generation-provider.ts";
import { resultLinkFailure } from "../provider-http.ts";
import { falLabel } from "./fal-errors.ts";

/**
 * Streams a finished video from fal's CDN. The key goes only to the queue host (never to the
 * CDN, nor along a redirect elsewhere).
 */
export async function openFalResult(
  url: string,
  options: { queueUrl: string; apiKey: string; dispatcher?: Dispatcher | undefined },
): Promise<ResultDownload> {
  const queue = new URL(options.queueUrl);
  let response: Awaited<ReturnType<typeof openWithScopedAuth>>;
  try {
    response = await openWithScopedAuth(url, {
      authorizationHost: queue.host,
      authorizationProtocol: queue.protocol === "http:" ? "http:" : "https:",
      authorization: `Key ${options.apiKey}`,
      maxRedirects: 5,
      dispatcher: options.dispatcher,
    });
  } catch (error) {
    throw resultLinkFailure(falLabel, error);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    response.body.on("error", () => {}).destroy();
    throw new ProviderError({
      message: `Could not download the video from fal.ai's link (HTTP ${response.statusCode}).`,
      provider: falLabel.name,
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
