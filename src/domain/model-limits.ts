import type { AspectRatio, GenerationMode, Resolution, Tier } from "./generation-request.ts";
import { aspectRatios } from "./generation-request.ts";

/** What one model accepts; values come from the provider's model reference. */
export interface ModelLimits {
  readonly mode: GenerationMode;
  readonly tier: Tier;
  readonly maxPromptLength: number;
  readonly resolutions: readonly Resolution[];
  readonly aspectRatios: readonly AspectRatio[];
  readonly minDuration: number;
  readonly maxDuration: number;
  /** Whether -1 ("let the model decide") is accepted. */
  readonly autoDuration: boolean;
  readonly maxImages: number;
  readonly maxVideos: number;
  readonly maxAudios: number;
  readonly maxFiles: number;
  readonly imageTypes: readonly string[];
  readonly maxImageBytes: number;
  readonly videoTypes: readonly string[];
  readonly maxTotalVideoBytes: number;
  readonly audioTypes: readonly string[];
  readonly maxAudioBytes: number;
  readonly maxTotalVideoSeconds: number;
  readonly maxTotalAudioSeconds: number;
}

const megabyte = 1024 * 1024;

const common = {
  maxPromptLength: 5000,
  aspectRatios,
  minDuration: 4,
  maxDuration: 15,
  autoDuration: true,
  imageTypes: ["image/jpeg", "image/png", "image/webp"],
  maxImageBytes: 30 * megabyte,
  videoTypes: ["video/mp4", "video/quicktime"],
  maxTotalVideoBytes: 50 * megabyte,
  audioTypes: ["audio/mpeg", "audio/wav", "audio/x-wav", "audio/wave"],
  maxAudioBytes: 15 * megabyte,
  maxTotalVideoSeconds: 15,
  maxTotalAudioSeconds: 15,
} as const;

const standardResolutions: readonly Resolution[] = ["480p", "720p", "1080p", "4k"];
const fastResolutions: readonly Resolution[] = ["480p", "720p"];

function limitsFor(mode: GenerationMode, tier: Tier): ModelLimits {
  const media =
    mode === "text"
      ? { maxImages: 0, maxVideos: 0, maxAudios: 0, maxFiles: 0 }
      : mode === "image"
        ? { maxImages: 2, maxVideos: 0, maxAudios: 0, maxFiles: 2 }
        : { maxImages: 9, maxVideos: 3, maxAudios: 3, maxFiles: 12 };
  return {
    ...common,
    ...media,
    mode,
    tier,
    resolutions: tier === "fast" ? fastResolutions : standardResolutions,
  };
}

/** Seedance 2.0 limits as documented for the Oxen models (standard and fast tiers). */
export const seedanceLimits: Readonly<Record<GenerationMode, Readonly<Record<Tier, ModelLimits>>>> =
  {
    text: { standard: limitsFor("text", "standard"), fast: limitsFor("text", "fast") },
    image: { standard: limitsFor("image", "standard"), fast: limitsFor("image", "fast") },
    reference: {
      standard: limitsFor("reference", "standard"),
      fast: limitsFor("reference", "fast"),
    },
  };
