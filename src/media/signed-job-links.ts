import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpServer } from "../server/http-server.ts";
import { hasValidSignature, signMedia } from "./signed-url.ts";

const jobIdPattern = /^[A-Za-z0-9_-]{1,100}$/;

export interface SignedLink {
  url: string;
  /** When the link stops working (ms). */
  expiresAt: number;
}

/** What a signed link's route hands over once the link is checked: the job and how long it still works. */
export type SignedFileServer = (
  jobId: string,
  request: IncomingMessage,
  response: ServerResponse,
  maxAgeSeconds: number,
) => Promise<void>;

/**
 * One namespace of signed, expiring per-job links: `<prefix><job>?expires=…&signature=…` (HMAC over
 * `<namespace>:<job>`), routed for GET and HEAD on the bot's HTTP server. A bad or forged link is
 * 403, an expired one 410 with `expiredText`; a good one goes to `serve`.
 */
export function createSignedJobLinks(options: {
  server: HttpServer;
  secret: string;
  publicBaseUrl: string;
  prefix: string;
  namespace: string;
  lifetimeMs: number;
  expiredText: string;
  now?: () => number;
  serve: SignedFileServer;
}): { linkFor(jobId: string): SignedLink } {
  const now = options.now ?? Date.now;
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, "");
  const sign = (jobId: string, expires: number) =>
    signMedia(options.secret, `${options.namespace}:${jobId}`, expires);

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const jobId = url.pathname.slice(options.prefix.length);
    const expires = url.searchParams.get("expires") ?? "";
    const signature = url.searchParams.get("signature") ?? "";
    const wellFormed =
      jobIdPattern.test(jobId) && /^\d{1,12}$/.test(expires) && /^[0-9a-f]{64}$/.test(signature);
    const parts = { id: `${options.namespace}:${jobId}`, expires: Number(expires), signature };
    if (!wellFormed || !hasValidSignature(options.secret, parts)) {
      return sendText(response, 403, "Forbidden");
    }
    if (parts.expires * 1000 <= now()) return sendText(response, 410, options.expiredText);
    const maxAge = Math.max(0, Math.floor((parts.expires * 1000 - now()) / 1000));
    await options.serve(jobId, request, response, maxAge);
  }

  options.server.route("GET", options.prefix, route);
  options.server.route("HEAD", options.prefix, route);
  return {
    linkFor(jobId) {
      const expires = Math.floor((now() + options.lifetimeMs) / 1000);
      return {
        url: `${baseUrl}${options.prefix}${jobId}?expires=${expires}&signature=${sign(jobId, expires)}`,
        expiresAt: expires * 1000,
      };
    },
  };
}

export function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(text);
}
