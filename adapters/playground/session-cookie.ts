import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const cookieName = "seedance_playground";

function sameSecret(given: string, expected: string): boolean {
  const left = Buffer.from(given);
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function cookieValue(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === cookieName) return value.join("=");
  }
  return undefined;
}

/**
 * Expiring playground sessions: a cookie is `<issued at>.<HMAC of it under the token>`, good for
 * `ttlMs`, replaced by a fresh one once half of that has passed, and void after a sign-out.
 */
export function createSessions(options: {
  token: string;
  ttlMs: number;
  now: () => number;
  secure: boolean;
}) {
  // Sessions issued before this were signed out (one local user: signing out ends them all).
  let revokedBefore = 0;
  const sign = (issuedAt: number) =>
    createHmac("sha256", options.token).update(`playground-session:${issuedAt}`).digest("hex");
  const attributes = `HttpOnly; SameSite=Strict; Path=/${options.secure ? "; Secure" : ""}`;

  function issuedAtOf(request: IncomingMessage): number | undefined {
    const [issued, signature] = (cookieValue(request) ?? "").split(".");
    const issuedAt = Number(issued);
    if (!Number.isSafeInteger(issuedAt) || !signature) return undefined;
    if (!sameSecret(signature, sign(issuedAt))) return undefined;
    const age = options.now() - issuedAt;
    if (issuedAt < revokedBefore || age >= options.ttlMs || age < -60_000) return undefined;
    return issuedAt;
  }

  return {
    sameSecret,
    /** The session's issue time when the request holds a live one. */
    issuedAtOf,
    /** A Set-Cookie value for a new session. */
    issue(): string {
      const issuedAt = Math.max(options.now(), revokedBefore);
      const maxAge = Math.floor(options.ttlMs / 1000);
      return `${cookieName}=${issuedAt}.${sign(issuedAt)}; ${attributes}; Max-Age=${maxAge}`;
    },
    dueForRotation(issuedAt: number): boolean {
      return options.now() - issuedAt >= options.ttlMs / 2;
    },
    /** Ends every session issued so far; the answer clears the cookie. */
    revokeAll(): string {
      revokedBefore = options.now() + 1;
      return `${cookieName}=; ${attributes}; Max-Age=0`;
    },
  };
}
