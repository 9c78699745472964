import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { type Dispatcher, request } from "undici";
import { TransportError, UrlPolicyError } from "./http-errors.ts";
import { assertHttpUrl, headerValue } from "./request-json.ts";

export interface ScopedAuthOptions {
  /** The only host (hostname:port) that receives the Authorization header. */
  authorizationHost: string;
  /** The full header value, e.g. "Bearer …". */
  authorization: string;
  /** The protocol the credentials may travel over; defaults to https. */
  authorizationProtocol?: "https:" | "http:";
  /** Defaults to 5. */
  maxRedirects?: number;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
}

export interface OpenedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Where the response finally came from. */
  url: string;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * GETs a URL, following redirects by hand so the credentials reach only their own host: any hop to
 * another host (or protocol) goes without them, and https→http is refused outright.
 * The final response is returned whatever its status; the caller owns its body.
 */
export async function openWithScopedAuth(
  url: string,
  options: ScopedAuthOptions,
): Promise<OpenedResponse> {
  const maxRedirects = options.maxRedirects ?? 5;
  let current = assertHttpUrl(url);
  for (let hop = 0; ; hop++) {
    const headers: Record<string, string> = {};
    if (sendsCredentials(current, options)) headers.authorization = options.authorization;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(current, {
        method: "GET",
        headers,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw TransportError.from(error);
    }
    const location = headerValue(response.headers.location);
    if (!redirectStatuses.has(response.statusCode) || !location) {
      return {
        statusCode: response.statusCode,
        headers: response.headers,
        body: response.body,
        url: current.href,
      };
    }
    await response.body.dump();
    if (hop >= maxRedirects) {
      throw new UrlPolicyError(`Gave up after ${maxRedirects} redirects.`, "TOO_MANY_REDIRECTS");
    }
    current = nextHop(current, location);
  }
}

/** Resolves a redirect target and refuses anything we must not follow. */
export function nextHop(from: URL, location: string): URL {
  let target: URL;
  try {
    target = assertHttpUrl(new URL(location, from));
  } catch (error) {
    if (error instanceof UrlPolicyError) throw error;
    throw new UrlPolicyError("The redirect target is not a valid URL.", "UNSUPPORTED_PROTOCOL");
  }
  if (from.protocol === "https:" && target.protocol === "http:") {
    throw new UrlPolicyError("Refused a redirect from https to http.", "INSECURE_REDIRECT");
  }
  return target;
}

export function sendsCredentials(url: URL, options: ScopedAuthOptions): boolean {
  return (
    url.host === options.authorizationHost &&
    url.protocol === (options.authorizationProtocol ?? "https:")
  );
}
