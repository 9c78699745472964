import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../../src/server/http-server.ts";

export interface AccessOptions {
  /** PLAYGROUND_TOKEN; when absent only loopback host names are answered. */
  token: string | undefined;
  publicBaseUrl: string;
}

const cookieName = "seedance_playground";
export const loopbackHosts: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookieValue(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === cookieName) return value.join("=");
  }
  return undefined;
}

function hostnameOf(request: IncomingMessage): string {
  try {
    return new URL(`http://${request.headers.host ?? ""}`).hostname;
  } catch {
    return "";
  }
}

function refuse(request: IncomingMessage, response: ServerResponse, status: number, text: string) {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path.startsWith("/api/")) {
    sendJson(response, status, { error: { message: text } });
    return;
  }
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(text);
}

/**
 * Who may use the playground: with a token, holders of `Authorization: Bearer <token>` or of the
 * cookie a `?token=` visit sets; without one, only pages opened as localhost (DNS rebinding is
 * refused by the Host check). Writes from other sites are refused by the Origin check.
 */
export function createAccess(options: AccessOptions) {
  const { token } = options;
  const allowedHosts = new Set([...loopbackHosts, new URL(options.publicBaseUrl).hostname]);
  const session = token
    ? createHmac("sha256", token).update("playground-session").digest("hex")
    : undefined;
  const secure = options.publicBaseUrl.startsWith("https:") ? "; Secure" : "";

  function crossSite(request: IncomingMessage): boolean {
    const fetchSite = request.headers["sec-fetch-site"];
    if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
    const origin = request.headers.origin;
    if (!origin || origin === "null") return origin === "null";
    try {
      return new URL(origin).host !== request.headers.host;
    } catch {
      return true;
    }
  }

  function authorized(request: IncomingMessage): boolean {
    if (!token || !session) return true;
    const header = request.headers.authorization ?? "";
    if (header.startsWith("Bearer ") && sameSecret(header.slice(7).trim(), token)) return true;
    const cookie = cookieValue(request);
    return cookie !== undefined && sameSecret(cookie, session);
  }

  /** True when the request may go on; otherwise the answer has been sent. */
  return function allow(request: IncomingMessage, response: ServerResponse): boolean {
    if (!token && !allowedHosts.has(hostnameOf(request))) {
      refuse(
        request,
        response,
        403,
        "This playground answers only on localhost; set PLAYGROUND_TOKEN to expose it.",
      );
      return false;
    }
    if (request.method !== "GET" && request.method !== "HEAD" && crossSite(request)) {
      refuse(request, response, 403, "Cross-site requests are refused.");
      return false;
    }
    if (authorized(request)) return true;
    const url = new URL(request.url ?? "/", "http://localhost");
    const offered = url.searchParams.get("token");
    if (request.method === "GET" && offered && token && session && sameSecret(offered, token)) {
      url.searchParams.delete("token");
      response.writeHead(303, {
        location: `${url.pathname}${url.search}`,
        "set-cookie": `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=2592000${secure}`,
        "cache-control": "no-store",
      });
      response.end();
      return false;
    }
    refuse(
      request,
      response,
      401,
      "Open the playground with the link printed at start-up (it ends in ?token=…).",
    );
    return false;
  };
}

export type Access = ReturnType<typeof createAccess>;
