import type { Dispatcher } from "undici";
import { ProviderError } from "../../errors.ts";
import { openWithScopedAuth } from "../../http/open-with-scoped-auth.ts";
import { headerValue } from "../../http/request-json.ts";
import type { ResultDownload } from "../generation-provider.ts";
import { resultLinkFailure } from "../provider-http.ts";
import { byteplusLabel } from "./byteplus-errors.ts";

/**
 * Streams a finished video from the object store. The key goes only to the API host (never to the
 * CDN, nor along a redirect elsewhere).
 */
export async function openArkResult(
  url: string,
  options: { baseUrl: string; apiKey: string; dispatcher?: Dispatcher | undefined },
): Promise<ResultDownload> {
  const api = new URL(options.baseUrl);
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
    throw resultLinkFailure(byteplusLabel, error);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    response.body.on("error", () => {}).destroy();
    throw new ProviderError({
      message: `Could not download the video from BytePlus's link (HTTP ${response.statusCode}); its links last 24 hours.`,
      provider: byteplusLabel.name,
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
