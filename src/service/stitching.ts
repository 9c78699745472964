import { createHash, randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import type { DeliverableVideo } from "../chat/chat-adapter.ts";
import { BotError, UserFacingError } from "../errors.ts";
import { followUpOrigin, type Job } from "../jobs/job.ts";
import { ffmpegMissing, type MediaTools } from "../media/ffmpeg-availability.ts";
import { stitchClips } from "../media/stitch-clips.ts";
import { chainOf } from "./extension.ts";
import type { Actor, StitchOptions } from "./generation-service-port.ts";
import type { ServiceContext } from "./service-context.ts";
import { existingVideo, videoPathFor } from "./video-file.ts";

export interface StitchParts {
  context: ServiceContext;
  ffmpeg: () => Promise<MediaTools | undefined>;
  /** Takes the new (succeeded) job to its thread. */
  deliver: (job: Job) => void;
}

function stitchJobId(platform: string, key: string | undefined): string {
  if (!key) return randomBytes(6).toString("base64url").replace(/[-_]/g, "x");
  return createHash("sha256")
    .update(`${platform}\u0000stitch\u0000${key}`)
    .digest("base64url")
    .slice(0, 8)
    .replace(/[-_]/g, "x");
}

/**
 * Records a free job that joins the chain ending with `last`; the join itself happens when it is
 * delivered (`stitchedVideo`), so a restart mid-way makes it again.
 */
export async function stitchChain(
  parts: StitchParts,
  last: Job,
  by: Actor,
  options: StitchOptions,
): Promise<Job> {
  const { context } = parts;
  const id = stitchJobId(last.origin.platform, options.idempotencyKey);
  const existing = options.idempotencyKey ? await context.store.get(id) : undefined;
  if (existing) return existing;
  const chain = await chainOf(context, last);
  if (chain.length < 2) {
    throw new UserFacingError(
      `Stitch joins a chain of clips made with Extend; job ${last.id} has not been extended. Press Extend first.`,
    );
  }
  const unfinished = chain.find((clip) => !clip.videoPath || clip.state !== "delivered");
  if (unfinished) {
    throw new UserFacingError(
      `Clip ${unfinished.id} of this chain has no posted video yet (${unfinished.state.replace("_", " ")}); stitch once every clip is posted.`,
    );
  }
  if (!(await parts.ffmpeg())) throw ffmpegMissing("Stitch (joining the clips)");
  const seconds = chain.reduce((sum, clip) => sum + Math.max(0, clip.request.duration ?? 0), 0);
  const origin = followUpOrigin(last.origin, by, options.origin);
  const job = await context.store.create({
    id,
    origin,
    request: {
      ...last.request,
      prompt: `${chain.length} clips stitched: ${chain[0]?.request.prompt ?? ""}`,
      ...(seconds > 0 ? { duration: seconds } : {}),
    },
    provider: "stitch",
    model: "ffmpeg-concat",
    state: "succeeded",
    createdAt: context.now(),
    completedAt: context.now(),
    costEstimate: 0,
    cost: 0,
    parentJobId: last.id,
    stitchOf: chain.map((clip) => clip.id),
  });
  context.changed(job);
  parts.deliver(job);
  return job;
}

/** The stitched video of a stitch job: made from its clips' saved videos unless already on disk. */
export async function stitchedVideo(
  context: ServiceContext,
  ffmpeg: () => Promise<MediaTools | undefined>,
  job: Job,
): Promise<DeliverableVideo> {
  const existing = await existingVideo(job.videoPath, job.videoBytes);
  if (existing) return existing;
  const tool = await ffmpeg();
  if (!tool) throw ffmpegMissing("Stitch (joining the clips)");
  const paths: string[] = [];
  for (const clipId of job.stitchOf ?? []) {
    const clip = await context.store.get(clipId);
    const video = await existingVideo(clip?.videoPath, clip?.videoBytes);
    if (!video) {
      throw new BotError({
        code: "MEDIA_REJECTED",
        message: `the video of clip ${clipId} is no longer kept by the bot`,
      });
    }
    paths.push(video.path);
  }
  const path = videoPathFor(context.settings.videoDirectory, job.id);
  await stitchClips(tool, paths, path);
  const sizeBytes = (await stat(path)).size;
  const current = await context.store.get(job.id);
  if (current)
    await context.store.update(job.id, { videoPath: path, videoBytes: sizeBytes }, current.version);
  return { path, sizeBytes, contentType: "video/mp4", fileName: `seedance-${job.id}-stitched.mp4` };
}
