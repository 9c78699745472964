import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";

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

const loopbackNames = new Set(["localhost", "127.0.0.1", "::1"]);
const forwardingHeaders = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The Host header's name and port, lower-cased, without IPv6 brackets. */
function hostOf(request: IncomingMessage): { name: string; host: string } | undefined {
  const parsed = URL.parse(`http://${request.headers.host ?? ""}`);
  if (!parsed || parsed.hostname === "") return undefined;
  const name = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return { name, host: parsed.port ? `${name}:${parsed.port}` : name };
}

function isLoopbackName(name: string): boolean {
  if (loopbackNames.has(name)) return true;
  return isIP(name) === 4 && name.startsWith("127.");
}

function isLoopbackPeer(request: IncomingMessage): boolean {
  return /^(127\.|::1$|::ffff:127\.)/.test(request.socket.remoteAddress ?? "");
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
      const forwarded = forwardingHeaders.some((name) => request.headers[name] !== undefined);
      return !forwarded && isLoopbackName(host.name) && isLoopbackPeer(request);
    },
    refuse(response) {
      if (expected) return refusal(response, 401, "METRICS_TOKEN is required");
      refusal(response, 403, "Answered only on this machine or for METRICS_HOSTS");
    },
  };
}
