import type { IncomingMessage, ServerResponse } from "node:http";
import { createAttemptThrottle } from "../../src/server/attempt-throttle.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { isLocalRequest } from "../../src/server/local-request.ts";
import { createSessions } from "./session-cookie.ts";

export interface AccessOptions {
  /** PLAYGROUND_TOKEN; when absent only requests made on this machine are answered. */
  token: string | undefined;
  publicBaseUrl: string;
  /** PLAYGROUND_SESSION_TTL_MS: how long a sign-in lasts. */
  sessionTtlMs?: number;
  /** PLAYGROUND_TOKEN_ATTEMPTS: wrong tokens an address may try per minute. */
  tokenAttempts?: number;
  now?: () => number;
}

export const loopbackHosts: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"]);

function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path.startsWith("/api/")) {
    sendJson(response, status, { error: { message: text } });
    return;
  }
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  response.end(text);
}

/** A redirect target on this site only: `//host` or `/\host` would leave it. */
export function localPath(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, "")}${url.search}`;
}

/**
 * Who may use the playground. With a token: holders of `Authorization: Bearer <token>` or of a
 * live session cookie a `?token=` visit sets; wrong tokens are throttled per address. Without
 * one: only requests made on this machine (see `isLocalRequest`), so neither a proxy, a tunnel
 * nor a DNS-rebinding page gets in. Writes from other sites are refused by the Origin check.
 */
export function createAccess(options: AccessOptions) {
  const { token } = options;
  const now = options.now ?? Date.now;
  const sessions = token
    ? createSessions({
        token,
        ttlMs: options.sessionTtlMs ?? 7 * 86_400_000,
        now,
        secure: options.publicBaseUrl.startsWith("https:"),
      })
    : undefined;
  const throttle = createAttemptThrottle({
    attempts: options.tokenAttempts ?? 10,
    windowMs: 60_000,
    now,
  });

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

  function authorized(request: IncomingMessage, response: ServerResponse): boolean {
    if (!token || !sessions) return true;
    const header = request.headers.authorization ?? "";
    if (header.startsWith("Bearer ") && sessions.sameSecret(header.slice(7).trim(), token)) {
      return true;
    }
    const issuedAt = sessions.issuedAtOf(request);
    if (issuedAt === undefined) return false;
    if (sessions.dueForRotation(issuedAt)) response.setHeader("set-cookie", sessions.issue());
    return true;
  }

  /** Whether the request offered a secret at all (a wrong one counts against its address). */
  function offeredSecret(request: IncomingMessage, url: URL): boolean {
    return Boolean(url.searchParams.get("token") || request.headers.authorization);
  }

  /** True when the request may go on; otherwise the answer has been sent. */
  function allow(request: IncomingMessage, response: ServerResponse): boolean {
    if (!token && !isLocalRequest(request)) {
      refuse(
        request,
        response,
        403,
        "This playground answers only on this machine; set PLAYGROUND_TOKEN to open it to others.",
      );
      return false;
    }
    if (request.method !== "GET" && request.method !== "HEAD" && crossSite(request)) {
      refuse(request, response, 403, "Cross-site requests are refused.");
      return false;
    }
    const address = request.socket.remoteAddress ?? "unknown";
    const url = new URL(request.url ?? "/", "http://localhost");
    const wait = throttle.retryAfterSeconds(address);
    if (wait !== undefined && offeredSecret(request, url)) {
      refuse(request, response, 429, `Too many wrong tokens; try again in ${wait} s.`, {
        "retry-after": String(wait),
      });
      return false;
    }
    if (authorized(request, response)) return true;
    const offered = url.searchParams.get("token");
    if (request.method === "GET" && offered && token && sessions?.sameSecret(offered, token)) {
      url.searchParams.delete("token");
      response.writeHead(303, {
        location: localPath(url),
        "set-cookie": sessions.issue(),
        "cache-control": "no-store",
      });
      response.end();
      return false;
    }
    if (offeredSecret(request, url)) throttle.failed(address);
    refuse(
      request,
      response,
      401,
      "Open the playground with the link printed at start-up (it ends in ?token=…).",
    );
    return false;
  }

  /** `POST /api/sign-out`: ends the sessions and clears the cookie. */
  function signOut(_request: IncomingMessage, response: ServerResponse): void {
    if (sessions) response.setHeader("set-cookie", sessions.revokeAll());
    sendJson(response, 200, { signedOut: Boolean(sessions) });
  }

  /** Who a request is, for per-visitor caps: its session, the token holder, or its address. */
  function visitor(request: IncomingMessage): string {
    const issuedAt = sessions?.issuedAtOf(request);
    if (issuedAt !== undefined) return `session:${issuedAt}`;
    if (request.headers.authorization) return "bearer";
    return `address:${request.socket.remoteAddress ?? ""}`;
  }

  return { allow, signOut, visitor };
}

export type Access = ReturnType<typeof createAccess>;
