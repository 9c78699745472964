import type {
  AspectRatio,
  GenerationMode,
  GenerationRequestInput,
  Resolution,
} from "../src/domain/generation-request.ts";
import { seedanceLimits } from "../src/domain/model-limits.ts";
import { validateRequest } from "../src/domain/validate-request.ts";
import { UserFacingError } from "../src/errors.ts";
import { type IncomingMedia, toMediaInput } from "./incoming-media.ts";
import type { InlineFlags } from "./parse-flags.ts";

/** The knobs every generation command shares, whether typed as options or written as flags. */
export interface GenerationParameters {
  resolution?: Resolution | undefined;
  duration?: number | undefined;
  aspectRatio?: AspectRatio | undefined;
  generateAudio?: boolean | undefined;
  seed?: number | undefined;
  fast?: boolean | undefined;
  hasFace?: boolean | undefined;
  /** The start image is the end frame too. */
  loop?: boolean | undefined;
  /** The card only for the requester and the video in a direct message (not part of the request). */
  private?: boolean | undefined;
  /** How many independent generations (not part of the request: each take is its own job). */
  takes?: number | undefined;
}

export interface RequestMedia {
  startImage?: IncomingMedia | undefined;
  endImage?: IncomingMedia | undefined;
  referenceImages?: readonly IncomingMedia[];
  referenceVideos?: readonly IncomingMedia[];
  referenceAudios?: readonly IncomingMedia[];
}

/** Explicit options win over inline flags; flags fill in what the options left out. */
export function mergeParameters(
  flags: InlineFlags,
  options: GenerationParameters,
): GenerationParameters {
  const merged: GenerationParameters = {};
  const keys = [
    "resolution",
    "duration",
    "aspectRatio",
    "generateAudio",
    "seed",
    "fast",
    "hasFace",
    "loop",
    "private",
    "takes",
  ] as const;
  for (const key of keys) {
    const value = options[key] ?? flags[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

/**
 * Builds the neutral request and checks it against the model's limits from metadata alone, so a
 * wrong type, size, count or range is refused before anything is stored, downloaded or sent.
 */
export function buildRequest(
  mode: GenerationMode,
  prompt: string,
  given: RequestMedia,
  parameters: GenerationParameters,
): GenerationRequestInput {
  const tier = parameters.fast ? "fast" : "standard";
  const face = parameters.hasFace === true;
  const media = parameters.loop ? loopMedia(given) : given;
  const request: GenerationRequestInput = {
    mode,
    tier,
    prompt,
    ...(media.startImage ? { startImage: toMediaInput(media.startImage, face) } : {}),
    ...(media.endImage ? { endImage: toMediaInput(media.endImage, face) } : {}),
    referenceImages: (media.referenceImages ?? []).map((image) => toMediaInput(image, face)),
    referenceVideos: (media.referenceVideos ?? []).map((video) => toMediaInput(video, face)),
    referenceAudios: (media.referenceAudios ?? []).map((audio) => toMediaInput(audio)),
    ...(parameters.resolution ? { resolution: parameters.resolution } : {}),
    ...(parameters.duration === undefined ? {} : { duration: parameters.duration }),
    ...(parameters.aspectRatio ? { aspectRatio: parameters.aspectRatio } : {}),
    ...(parameters.generateAudio === undefined ? {} : { generateAudio: parameters.generateAudio }),
    ...(parameters.seed === undefined ? {} : { seed: parameters.seed }),
  };
  validateRequest(request, seedanceLimits[mode][tier]);
  return request;
}

/** A loop ends on its start image; it needs one, and leaves no room for another end frame. */
function loopMedia(media: RequestMedia): RequestMedia {
  if (!media.startImage) {
    throw new UserFacingError(
      "--loop needs a start image: attach an image (or use /animate) and it becomes the last frame too.",
      { field: "loop" },
    );
  }
  if (media.endImage) {
    throw new UserFacingError(
      "--loop uses the start image as the end frame, so it cannot take an end image as well; leave out the end image or --loop.",
      { field: "loop" },
    );
  }
  return { ...media, endImage: media.startImage };
}

/**
 * `--takes` is for `/video`, `/animate` and `/reference`; a message or a form opened from a result makes
 * one video, so it is refused there rather than ignored.
 */
export function refuseTakes(flags: { takes?: number | undefined }): void {
  if (flags.takes === undefined) return;
  throw new UserFacingError(
    `--takes ${flags.takes} works with /video, /animate and /reference (several videos of one request, each with its own seed); leave it out here, or use one of those commands.`,
    { field: "takes" },
  );
}

/** What a generation command's action carries besides the request: privacy and the number of takes. */
export function actionExtras(parameters: GenerationParameters): {
  private?: true;
  takes?: number;
} {
  return {
    ...(parameters.private ? { private: true } : {}),
    ...(parameters.takes !== undefined && parameters.takes !== 1
      ? { takes: parameters.takes }
      : {}),
  };
}

/**
 * `--private` is for `/video`, `/animate` and `/reference`, whose card can be seen by the requester
 * alone; a message (or a form opened from a result) is answered where it was asked, so it is refused
 * there rather than ignored.
 */
export function refusePrivate(flags: { private?: boolean | undefined }): void {
  if (!flags.private) return;
  throw new UserFacingError(
    "--private works with /video, /animate and /reference (the status card is then yours alone and the video comes in a direct message); leave it out here, or use one of those commands.",
    { field: "private" },
  );
}
