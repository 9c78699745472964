import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Job } from "../../src/jobs/job.ts";
import { nonEmptyFileSize, posterPathFor, sendFile } from "../../src/media/index.ts";
import { sendJson } from "../../src/server/http-server.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import { platform } from "./playground-context.ts";

export const posterRoute = "/api/posters/";

/**
 * The poster frames (JPEGs the core makes beside each video) of this page's cards: the card's
 * `<video poster>` until it plays, served from the bot's disk.
 */
export function createPlaygroundPosters(service: GenerationServicePort) {
  /** Posters of the jobs delivered by this process, by job id. */
  const delivered = new Map<string, string>();
  const pathOf = (job: Job | undefined) =>
    job && (delivered.get(job.id) ?? (job.videoPath && posterPathFor(job.videoPath)));

  return {
    delivered(jobId: string, posterPath: string): void {
      delivered.set(jobId, posterPath);
    },
    /** The card's poster URL: delivered here with one, or an earlier run's beside its video. */
    urlFor(job: Job): string | undefined {
      const known =
        delivered.has(job.id) ||
        (job.state === "delivered" && job.videoPath && existsSync(posterPathFor(job.videoPath)));
      return known ? `${posterRoute.slice(1)}${job.id}` : undefined;
    },
    async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
      const url = new URL(request.url ?? "/", "http://localhost");
      const jobId = url.pathname.slice(posterRoute.length);
      const job = /^[A-Za-z0-9]{1,32}$/.test(jobId) ? await service.getJob(jobId) : undefined;
      const path = job?.origin.platform === platform ? pathOf(job) : undefined;
      if (!path || (await nonEmptyFileSize(path)) === undefined) {
        return sendJson(response, 404, { error: { message: `No poster for job ${jobId}.` } });
      }
      await sendFile(request, response, {
        path,
        contentType: "image/jpeg",
        headers: { "cache-control": "private, max-age=3600" },
      });
    },
  };
}
