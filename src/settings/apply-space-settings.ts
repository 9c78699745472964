import type { GenerationRequest, GenerationRequestInput } from "../domain/generation-request.ts";
import { defaultResolution } from "../domain/upscale-resolution.ts";
import { UserFacingError } from "../errors.ts";
import type { JobOrigin } from "../jobs/job.ts";
import { resolutionRank, resolutionsUpTo, type SpaceLimits } from "./space-limits.ts";
import type { SpaceSettings } from "./space-settings.ts";

/** What "auto" duration may run to, as the budgets count it (`billableSeconds`). */
const autoDurationSeconds = 15;

/** The space's channel list: a request elsewhere is refused, naming the channels that allow it. */
export function checkChannel(origin: JobOrigin, limits: SpaceLimits): void {
  const allowed = limits.allowedChannels;
  if (allowed.length === 0) return;
  const here = [origin.channelId, ...(origin.threadId ? [origin.threadId] : [])];
  if (here.some((channel) => allowed.includes(channel))) return;
  const list = allowed.map((channel) => `<#${channel}>`).join(", ");
  throw new UserFacingError(
    `Videos can be made only in ${list} on this server; this channel is not one of them.`,
    { field: "channel", code: "INVALID_REQUEST" },
  );
}

/**
 * Fills what the request leaves unset with the space's defaults; without a default, a capped setting
 * never falls back above its cap (the model's own default).
 */
export function withSpaceDefaults(
  input: GenerationRequestInput,
  settings: SpaceSettings,
  limits: SpaceLimits,
): GenerationRequestInput {
  const duration =
    input.duration ??
    settings.defaultDuration ??
    (limits.maxDuration < autoDurationSeconds ? limits.maxDuration : undefined);
  const resolution =
    input.resolution ??
    settings.defaultResolution ??
    (resolutionRank(limits.maxResolution) < resolutionRank(defaultResolution)
      ? limits.maxResolution
      : undefined);
  const aspectRatio = input.aspectRatio ?? settings.defaultAspectRatio;
  const generateAudio = input.generateAudio ?? settings.defaultAudio;
  return {
    ...input,
    ...(generateAudio === undefined ? {} : { generateAudio }),
    ...(duration === undefined ? {} : { duration }),
    ...(resolution ? { resolution } : {}),
    ...(aspectRatio ? { aspectRatio } : {}),
  };
}

/** Refuses a request above the caps in force, naming the setting, the value and the range allowed. */
export function checkCaps(
  request: Pick<GenerationRequest, "duration" | "resolution">,
  limits: SpaceLimits,
  minDuration: number,
): void {
  const range = `choose ${minDuration}–${limits.maxDuration} s`;
  const duration = request.duration ?? -1;
  if (duration === -1 && limits.maxDuration < autoDurationSeconds) {
    throw new UserFacingError(
      `duration auto can run to ${autoDurationSeconds} s, above this server's cap of ${limits.maxDuration} s; ${range}.`,
      { field: "duration", code: "INVALID_REQUEST" },
    );
  }
  if (duration > limits.maxDuration) {
    throw new UserFacingError(
      `duration ${duration} s is above this server's cap of ${limits.maxDuration} s; ${range}.`,
      { field: "duration", code: "INVALID_REQUEST" },
    );
  }
  const resolution = request.resolution ?? defaultResolution;
  if (resolutionRank(resolution) > resolutionRank(limits.maxResolution)) {
    throw new UserFacingError(
      `resolution ${resolution} is above this server's cap of ${limits.maxResolution}; choose ${resolutionsUpTo(limits.maxResolution).join(", ")}.`,
      { field: "resolution", code: "INVALID_REQUEST" },
    );
  }
}
