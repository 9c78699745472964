import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpServer } from "../server/http-server.ts";
import { sendFile } from "./send-file.ts";
import { hasValidSignature, signMedia } from "./signed-url.ts";
import type { VideoLink } from "./video-links.ts";
import { videoLinkLifetimeMs } from "./video-links.ts";

const routePrefix = "/posters/";
const jobIdPattern = /^[A-Za-z0-9_-]{1,100}$/;

export interface PosterLinks {
  /** A signed link to the job's poster frame on this bot, working until `expiresAt`. */
  linkFor(jobId: string): VideoLink;
}

/**
 * Links to poster frames: `/posters/<job>?expires=…&signature=…`, signed (HMAC, their own
 * namespace beside `/videos/`), expiring with the video's links, served from the JPEG the bot
 * keeps beside the video. Chat platforms fetch them for embeds, image blocks and the gallery.
 */
export function createPosterLinks(options: {
  server: HttpServer;
  secret: string;
  publicBaseUrl: string;
  /** The job's poster file, while the bot has it. */
  posterOf: (jobId: string) => Promise<string | undefined>;
  lifetimeMs?: number;
  now?: () => number;
}): PosterLinks {
  const now = options.now ?? Date.now;
  const lifetimeMs = options.lifetimeMs ?? videoLinkLifetimeMs;
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, "");
  const sign = (jobId: string, expires: number) =>
    signMedia(options.secret, `poster:${jobId}`, expires);

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const jobId = url.pathname.slice(routePrefix.length);
    const expires = url.searchParams.get("expires") ?? "";
    const signature = url.searchParams.get("signature") ?? "";
    const wellFormed =
      jobIdPattern.test(jobId) && /^\d{1,12}$/.test(expires) && /^[0-9a-f]{64}$/.test(signature);
    const parts = { id: `poster:${jobId}`, expires: Number(expires), signature };
    if (!wellFormed || !hasValidSignature(options.secret, parts)) {
      return sendText(response, 403, "Forbidden");
    }
    if (parts.expires * 1000 <= now()) return sendText(response, 410, "This link has expired.");
    const path = await options.posterOf(jobId);
    if (!path) return sendText(response, 404, "This video has no poster.");
    const maxAge = Math.max(0, Math.floor((parts.expires * 1000 - now()) / 1000));
    await sendFile(request, response, {
      path,
      contentType: "image/jpeg",
      headers: { "cache-control": `private, max-age=${maxAge}` },
    });
  }

  options.server.route("GET", routePrefix, serve);
  options.server.route("HEAD", routePrefix, serve);
  return {
    linkFor(jobId) {
      const expires = Math.floor((now() + lifetimeMs) / 1000);
      return {
        url: `${baseUrl}${routePrefix}${jobId}?expires=${expires}&signature=${sign(jobId, expires)}`,
        expiresAt: expires * 1000,
      };
    },
  };
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(text);
}
