import type { HttpServer } from "../server/http-server.ts";
import { sendFile } from "./send-file.ts";
import { createSignedJobLinks, type SignedLink, sendText } from "./signed-job-links.ts";
import { videoLinkLifetimeMs } from "./video-links.ts";

export interface PosterLinks {
  /** A signed link to the job's poster frame on this bot, working until `expiresAt`. */
  linkFor(jobId: string): SignedLink;
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
  return createSignedJobLinks({
    server: options.server,
    secret: options.secret,
    publicBaseUrl: options.publicBaseUrl,
    prefix: "/posters/",
    namespace: "poster",
    lifetimeMs: options.lifetimeMs ?? videoLinkLifetimeMs,
    expiredText: "This link has expired.",
    ...(options.now ? { now: options.now } : {}),
    async serve(jobId, request, response, maxAge) {
      const path = await options.posterOf(jobId);
      if (!path) return sendText(response, 404, "This video has no poster.");
      await sendFile(request, response, {
        path,
        contentType: "image/jpeg",
        headers: { "cache-control": `private, max-age=${maxAge}` },
      });
    },
  });
}
