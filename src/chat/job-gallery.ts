import type { Job } from "../jobs/job.ts";
import { nonEmptyFileSize, posterPathFor } from "../media/poster-frame.ts";

/** How many posters `/jobs` shows: a small gallery that fits every platform's message. */
export const galleryLimit = 4;

/** A finished result with the poster frame the bot keeps beside its video. */
export interface GalleryItem {
  job: Job;
  poster: { path: string; sizeBytes: number };
  /** The poster's file name where a platform attaches it. */
  fileName: string;
}

/**
 * The user's recent finished results that have a poster on this bot's disk, in the order given
 * (newest first), at most `limit`: `/jobs` shows them as a gallery beside the list.
 */
export async function recentPosters(
  jobs: readonly Job[],
  limit = galleryLimit,
): Promise<GalleryItem[]> {
  const items: GalleryItem[] = [];
  for (const job of jobs) {
    if (items.length >= limit) break;
    if (job.state !== "delivered" || !job.videoPath) continue;
    const path = posterPathFor(job.videoPath);
    const sizeBytes = await nonEmptyFileSize(path);
    if (sizeBytes !== undefined) {
      items.push({ job, poster: { path, sizeBytes }, fileName: `poster-${job.id}.jpg` });
    }
  }
  return items;
}
