import type { HttpServer } from "../server/http-server.ts";
import { sendFile } from "./send-file.ts";
import { createSignedJobLinks, type SignedLink, sendText } from "./signed-job-links.ts";

/** How long a link to a finished video works: a week, and the message says so. */
export const videoLinkLifetimeMs = 7 * 24 * 60 * 60_000;

export type VideoLink = SignedLink;

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
  return createSignedJobLinks({
    server: options.server,
    secret: options.secret,
    publicBaseUrl: options.publicBaseUrl,
    prefix: "/videos/",
    namespace: "video",
    lifetimeMs: options.lifetimeMs ?? videoLinkLifetimeMs,
    expiredText: "This link has expired; ask the bot to post the video again.",
    ...(options.now ? { now: options.now } : {}),
    async serve(jobId, request, response, maxAge) {
      const video = await options.videoOf(jobId);
      if (!video) return sendText(response, 410, "This video is no longer kept.");
      await sendFile(request, response, {
        path: video.path,
        contentType: "video/mp4",
        headers: {
          "cache-control": `private, max-age=${maxAge}`,
          "content-disposition": `attachment; filename="${video.fileName.replace(/[^\w.-]/g, "_")}"`,
          "content-security-policy": "default-src 'none'; sandbox",
        },
      });
    },
  });
}
