import { createReadStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type { BlobStore } from "../blobs/blob-store.ts";
import type { DeliverableVideo } from "../chat/chat-adapter.ts";
import type { Job } from "../jobs/job.ts";
import { privateFileMode, privateFolderMode } from "../util/data-permissions.ts";
import { fileSink } from "../util/file-sink.ts";
import { existingVideo, videoPathFor } from "./video-file.ts";

/** How long a downloaded video stays in the shared store: as long as a link to it works (a week). */
export const sharedVideoLifetimeMs = 7 * 24 * 60 * 60_000;

export interface SharedVideoContext {
  /** Videos every instance reaches (PostgreSQL with DATABASE_URL); absent for a single process. */
  readonly videoBlobs?: BlobStore | undefined;
  readonly settings: { readonly videoDirectory: string };
  readonly now: () => number;
}

/** Copies a downloaded video into the shared store, so another instance can deliver or serve it. */
export async function shareVideo(
  context: SharedVideoContext,
  jobId: string,
  video: DeliverableVideo,
): Promise<void> {
  await context.videoBlobs?.put(jobId, createReadStream(video.path), {
    contentType: video.contentType,
    fileName: video.fileName,
    expiresAt: context.now() + sharedVideoLifetimeMs,
  });
}

/**
 * The job's video as a file on this instance's disk: the one it downloaded, or a copy streamed from
 * the shared store when another instance downloaded it. Undefined when neither has it.
 */
export async function localVideo(
  context: SharedVideoContext,
  job: Pick<Job, "id" | "videoPath" | "videoBytes">,
): Promise<DeliverableVideo | undefined> {
  const existing = await existingVideo(job.videoPath, job.videoBytes);
  if (existing) return existing;
  const blobs = context.videoBlobs;
  if (!blobs) return undefined;
  const path = videoPathFor(context.settings.videoDirectory, job.id);
  const info = await blobs.stat(job.id);
  if (!info || (job.videoBytes !== undefined && info.sizeBytes !== job.videoBytes))
    return undefined;
  const copied = await existingVideo(path, info.sizeBytes);
  if (copied) return { ...copied, contentType: info.contentType, fileName: info.fileName };
  const body = await blobs.open(job.id);
  if (!body) return undefined;
  await mkdir(context.settings.videoDirectory, { recursive: true, mode: privateFolderMode });
  const partial = `${path}.${process.pid}.copy`;
  const sink = fileSink(partial, { mode: privateFileMode });
  try {
    await pipeline(body, sink.stream);
    await rename(partial, path);
  } finally {
    await sink.closed();
    await rm(partial, { force: true });
  }
  return {
    path,
    sizeBytes: info.sizeBytes,
    contentType: info.contentType,
    fileName: info.fileName,
  };
}
