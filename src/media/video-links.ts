import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpServer } from "../server/http-server.ts";
import { sendFile } from "./send-file.ts";
import { hasValidSignature, signMedia } from "./signed-url.ts";

/** How long a link to a finished video works: a week, and the message says so. */
export const videoLinkLifetimeMs = 7 * 24 * 60 * 60_000;
const routePrefix = "/videos/";
const jobIdPattern = /^[A-Za-z0-9_-]{1,100}$/;

export interface VideoLink {
  url: string;
  /** When the link stops working (ms). */
  expiresAt: number;
}

export interface VideoLinks {
  /** A signed link to the job's video on this bot, working until `expiresAt`. */
  linkFor(jobId: string): VideoLink;
}

/**
 * Links to finished videos that last as long as the message says: `/videos/<job>?expires=…&
 * signature=…`, signed (HMAC, its own namespace beside `/media/`) and expiring after
 * `lifetimeMs`, served straight from the job's video file, which the bot keeps. Unlike an input's
 * one-hour `/media/` link, nothing is copied, so a week costs no disk.
 */
export function createVideoLinks(options: {
  server: HttpServer;
  secret: string;
  publicBaseUrl: string;
  /** The job's video file, while the bot has it. */
  videoOf: (jobId: string) => Promise<{ path: string; fileName: string } | undefined>;
  lifetimeMs?: number;
  now?: () => number;
}): VideoLinks {
  const now = options.now ?? Date.now;
  const lifetimeMs = options.lifetimeMs ?? videoLinkLifetimeMs;
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, "");
  const sign = (jobId: string, expires: number) =>
    signMedia(options.secret, `video:${jobId}`, expires);

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const jobId = url.pathname.slice(routePrefix.length);
    const expires = url.searchParams.get("expires") ?? "";
    const signature = url.searchParams.get("signature") ?? "";
    const wellFormed =
      jobIdPattern.test(jobId) && /^\d{1,12}$/.test(expires) && /^[0-9a-f]{64}$/.test(signature);
    const parts = { id: `video:${jobId}`, expires: Number(expires), signature };
    if (!wellFormed || !hasValidSignature(options.secret, parts)) {
      return sendText(response, 403, "Forbidden");
    }
    if (parts.expires * 1000 <= now()) {
      return sendText(response, 410, "This link has expired; ask the bot to post the video again.");
    }
    const video = await options.videoOf(jobId);
    if (!video) return sendText(response, 410, "This video is no longer kept.");
    const maxAge = Math.max(0, Math.floor((parts.expires * 1000 - now()) / 1000));
    await sendFile(request, response, {
      path: video.path,
      contentType: "video/mp4",
      headers: {
        "cache-control": `private, max-age=${maxAge}`,
        "content-disposition": `attachment; filename="${video.fileName.replace(/[^\w.-]/g, "_")}"`,
        "content-security-policy": "default-src 'none'; sandbox",
      },
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
