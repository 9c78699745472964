import { join } from "node:path";
import type { GenerationRequestInput, MediaInput } from "../domain/generation-request.ts";
import { UserFacingError } from "../errors.ts";
import { followUpOrigin, type Job, type JobOrigin } from "../jobs/job.ts";
import { ffmpegMissing, type MediaTools } from "../media/ffmpeg-availability.ts";
import { extractLastFrame } from "../media/last-frame.ts";
import { linkExpiry, type MediaHost, maxMediaTtlMs } from "../media/media-host.ts";
import type { Actor, ExtendOverrides, SubmitOptions } from "./generation-service-port.ts";
import type { ServiceContext } from "./service-context.ts";
import { existingVideo } from "./video-file.ts";

/** Extensions one chain may have after its first clip, as Midjourney allows. */
export const maxExtensions = 4;
/** A provider's last-frame link is trusted this long after the clip finished (BytePlus keeps it a day). */
const providerFrameLifetimeMs = 12 * 60 * 60_000;
const maxSeed = 2_147_483_647;
const madeStates = new Set(["delivered", "delivery_failed", "delivering"]);

export interface ExtensionParts {
  context: ServiceContext;
  frameHost: MediaHost | undefined;
  ffmpeg: () => Promise<MediaTools | undefined>;
  submit: (
    input: GenerationRequestInput,
    origin: JobOrigin,
    options: SubmitOptions,
  ) => Promise<Job>;
}

/** The clips of the chain that ends with `job`, oldest first. */
export async function chainOf(context: ServiceContext, job: Job): Promise<Job[]> {
  const chain = [job];
  let current = job;
  while (current.extendsJobId && chain.length <= maxExtensions + 1) {
    const parent = await context.store.get(current.extendsJobId);
    if (!parent) break;
    chain.unshift(parent);
    current = parent;
  }
  return chain;
}

/** The next clip of a chain: image-to-video from the last frame of `parent`'s video. */
export async function extendJob(
  parts: ExtensionParts,
  parent: Job,
  by: Actor,
  overrides: ExtendOverrides,
): Promise<Job> {
  if (parent.stitchOf) {
    throw new UserFacingError(
      `Job ${parent.id} is a stitched video; extend its last clip instead.`,
    );
  }
  if (!madeStates.has(parent.state)) {
    throw new UserFacingError(
      `Job ${parent.id} has no finished video to extend yet: it is ${parent.state.replace("_", " ")}.`,
    );
  }
  const chain = await chainOf(parts.context, parent);
  if (chain.length > maxExtensions) {
    throw new UserFacingError(
      `This chain already has ${chain.length - 1} extensions, the most one chain may have (${maxExtensions}); press Stitch to join it, or start a new one.`,
      { field: "extend" },
    );
  }
  const startImage = await lastFrameOf(parts, parent);
  const previous = parent.request;
  const request: GenerationRequestInput = {
    mode: "image",
    tier: previous.tier,
    prompt: overrides.prompt?.trim() || previous.prompt,
    startImage,
    ...(previous.resolution ? { resolution: previous.resolution } : {}),
    ...(previous.duration === undefined ? {} : { duration: previous.duration }),
    ...(previous.aspectRatio ? { aspectRatio: previous.aspectRatio } : {}),
    ...(previous.generateAudio === undefined ? {} : { generateAudio: previous.generateAudio }),
    seed: Math.floor(parts.context.random() * maxSeed),
    ...overrides.settings,
  };
  const origin = followUpOrigin(parent.origin, by, overrides.origin);
  return await parts.submit(request, origin, {
    parentJobId: parent.id,
    extendsJobId: parent.id,
    action: "extend",
    ...(overrides.idempotencyKey ? { idempotencyKey: overrides.idempotencyKey } : {}),
  });
}

/** The provider's own last frame when it gave one lately; otherwise taken from the saved video. */
async function lastFrameOf(parts: ExtensionParts, parent: Job): Promise<MediaInput> {
  const { context } = parts;
  const fresh = (parent.completedAt ?? 0) + providerFrameLifetimeMs > context.now();
  if (parent.lastFrameUrl && fresh) {
    return { url: parent.lastFrameUrl, fileName: `last-frame-${parent.id}.jpg` };
  }
  const tool = await parts.ffmpeg();
  if (!tool) throw ffmpegMissing("Extend (taking the last frame of the video)");
  const video = await existingVideo(parent.videoPath, parent.videoBytes);
  if (!video) {
    throw new UserFacingError(
      `The video of job ${parent.id} is no longer kept by the bot, so its last frame cannot be taken; extend a newer clip.`,
    );
  }
  if (!parts.frameHost) {
    throw new UserFacingError(
      "Extend needs a way to share the last frame with the video provider; ask the bot's admin to set PUBLIC_BASE_URL or MEDIA_HOST.",
      { code: "MEDIA_REJECTED" },
    );
  }
  const framePath = await extractLastFrame(
    tool,
    video.path,
    join(context.settings.videoDirectory, `${parent.id}-last-frame.jpg`),
  );
  const fileName = `last-frame-${parent.id}.jpg`;
  const published = await parts.frameHost.publish(
    { path: framePath, contentType: "image/jpeg", fileName },
    { ttlMs: maxMediaTtlMs },
  );
  return { url: published.url, contentType: "image/jpeg", fileName, ...linkExpiry(published) };
}
