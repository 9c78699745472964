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
  /**
   * The provider whose range these are ("fal.ai"), named in range messages when it differs from
   * Seedance's own; unset for the reference limits.
   */
  readonly provider?: string;
  /** On a fast tier: what the provider's standard tier offers, so a message can say whether dropping --fast helps. */
  readonly standardResolutions?: readonly Resolution[];
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

/** One provider's limits for its six models (three modes, two tiers). */
export type LimitsTable = Readonly<Record<GenerationMode, Readonly<Record<Tier, ModelLimits>>>>;

function limitsTable(build: (mode: GenerationMode, tier: Tier) => ModelLimits): LimitsTable {
  const row = (mode: GenerationMode) => ({
    standard: build(mode, "standard"),
    fast: build(mode, "fast"),
  });
  return { text: row("text"), image: row("image"), reference: row("reference") };
}

/** Seedance 2.0 limits as documented for the Oxen models (standard and fast tiers). */
export const seedanceLimits: LimitsTable = limitsTable(limitsFor);

/** A provider's own resolutions for `tier`, labelled with its name for range messages. */
export function providerRange(
  provider: string,
  tier: Tier,
  resolutionsOf: (tier: Tier) => readonly Resolution[],
): Pick<ModelLimits, "provider" | "resolutions" | "standardResolutions"> {
  return {
    provider,
    resolutions: resolutionsOf(tier),
    ...(tier === "fast" ? { standardResolutions: resolutionsOf("standard") } : {}),
  };
}

/** 480p and 720p everywhere; 1080p only on the standard tier (no 4k on either unified-task API). */
const unifiedResolutions = (tier: Tier): readonly Resolution[] =>
  tier === "fast" ? ["480p", "720p"] : ["480p", "720p", "1080p"];

/**
 * AIHubMax Seedance 2.0 (its zh OpenAPI specs, 2026-08): prompt ≤ 5000 characters, duration 4–15
 * or -1, i2v = `image_url` + optional `end_image_url`, r2v ≤ 9 images, ≤ 3 videos, ≤ 3 audios,
 * ≤ 12 files. 1080p is documented for the standard models only (the English i2v page lists 480p
 * and 720p alone; the newer spec wins).
 */
export const aihubmaxLimits = limitsTable((mode, tier) => ({
  ...limitsFor(mode, tier),
  ...providerRange("AIHubMax", tier, unifiedResolutions),
}));

/**
 * EvoLink Seedance 2.0 (docs.evolink.ai): `quality` 480p/720p, 1080p standard only; duration 4–15
 * with no "auto"; i2v = `image_urls` with 1–2 frames; r2v 0–9 images, 0–3 videos, 0–3 audios and
 * no documented overall cap. The prompt limit is stated loosely ("≤ 500 Chinese characters or
 * ≤ 1000 English words"); 5000 characters matches the English case, so a very long Chinese prompt
 * may still be refused by EvoLink itself (as a clear 400).
 */
export const evolinkLimits = limitsTable((mode, tier) => {
  const base = limitsFor(mode, tier);
  return {
    ...base,
    ...providerRange("EvoLink", tier, unifiedResolutions),
    autoDuration: false,
    ...(mode === "reference" ? { maxFiles: 15 } : {}),
  };
});
