import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

const loopbackNames = new Set(["localhost", "127.0.0.1", "::1"]);
const forwardingHeaders = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"];

/** The Host header's name and port, lower-cased, without IPv6 brackets. */
export function hostOf(request: IncomingMessage): { name: string; host: string } | undefined {
  const parsed = URL.parse(`http://${request.headers.host ?? ""}`);
  if (!parsed || parsed.hostname === "") return undefined;
  const name = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return { name, host: parsed.port ? `${name}:${parsed.port}` : name };
}

export function isLoopbackName(name: string): boolean {
  if (loopbackNames.has(name)) return true;
  return isIP(name) === 4 && name.startsWith("127.");
}

export function isLoopbackPeer(request: IncomingMessage): boolean {
  return /^(127\.|::1$|::ffff:127\.)/.test(request.socket.remoteAddress ?? "");
}

export function wasForwarded(request: IncomingMessage): boolean {
  return forwardingHeaders.some((name) => request.headers[name] !== undefined);
}

/**
 * A request made on this machine: from a loopback peer, naming a loopback host, not passed on by
 * a proxy. A tunnel or reverse proxy on this machine connects from loopback too, but names the
 * public host (or adds forwarding headers), so it is not local; nor is a DNS-rebinding page.
 */
export function isLocalRequest(request: IncomingMessage): boolean {
  const host = hostOf(request);
  return (
    host !== undefined &&
    isLoopbackName(host.name) &&
    isLoopbackPeer(request) &&
    !wasForwarded(request)
  );
}
