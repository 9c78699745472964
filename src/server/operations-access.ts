import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { hostOf, isLocalRequest } from "./local-request.ts";

export interface OperationsAccessSettings {
  /** METRICS_TOKEN: when set, every request needs `Authorization: Bearer <it>`. */
  token?: string | undefined;
  /** METRICS_HOSTS: Host names (or host:port) answered from anywhere, besides loopback. */
  hosts?: readonly string[];
}

/** Whether a request may read an operational endpoint; `refuse` answers one that may not. */
export interface OperationsAccess {
  allows(request: IncomingMessage): boolean;
  refuse(response: ServerResponse): void;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function refusal(response: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ error: message });
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...(status === 401 ? { "www-authenticate": "Bearer" } : {}),
  });
  response.end(text);
}

/**
 * Who may read /metrics and /readyz. With METRICS_TOKEN, whoever sends it as a Bearer token.
 * Without: a request from this machine that names a loopback host and was not forwarded by a
 * proxy, or one naming a host in METRICS_HOSTS. The Host header is checked, so a web page whose
 * name is rebound to 127.0.0.1 (DNS rebinding) is refused like anyone else.
 */
export function operationsAccess(settings: OperationsAccessSettings = {}): OperationsAccess {
  const expected = settings.token ? digest(`Bearer ${settings.token}`) : undefined;
  const hosts = new Set((settings.hosts ?? []).map((host) => host.toLowerCase()));
  return {
    allows(request) {
      if (expected) {
        const given = request.headers.authorization;
        return typeof given === "string" && timingSafeEqual(digest(given), expected);
      }
      const host = hostOf(request);
      if (!host) return false;
      if (hosts.has(host.name) || hosts.has(host.host)) return true;
      return isLocalRequest(request);
    },
    refuse(response) {
      if (expected) return refusal(response, 401, "METRICS_TOKEN is required");
      refusal(response, 403, "Answered only on this machine or for METRICS_HOSTS");
    },
  };
}
