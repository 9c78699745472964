import type { GenerationMode, GenerationRequest, Tier } from "../../domain/generation-request.ts";
import type { ModelCatalog, ModelEntry } from "../../domain/model-catalog.ts";
import { providerRange, seedanceLimits } from "../../domain/model-limits.ts";

/** fal's app id: the model path without its subpath, as the status, result and cancel URLs use it. */
export const falAppId = "bytedance/seedance-2.0";

function falModelId(mode: GenerationMode, tier: Tier): string {
  return `${falAppId}/${tier === "fast" ? "fast/" : ""}${mode}-to-video`;
}

/**
 * fal's Seedance 2.0 endpoints (fal.ai/models/bytedance/seedance-2.0/…): 480p and 720p on both
 * tiers, duration "auto" or 4–15, up to 9 images, 3 videos and 3 audio clips for references.
 */
const falResolutions = ["480p", "720p"] as const;

function entry(mode: GenerationMode, tier: Tier): ModelEntry {
  return {
    id: falModelId(mode, tier),
    limits: {
      ...seedanceLimits[mode][tier],
      ...providerRange("fal.ai", tier, () => falResolutions),
    },
  };
}

export const falCatalog: ModelCatalog = {
  text: { standard: entry("text", "standard"), fast: entry("text", "fast") },
  image: { standard: entry("image", "standard"), fast: entry("image", "fast") },
  reference: { standard: entry("reference", "standard"), fast: entry("reference", "fast") },
};

/** The submit path under the queue: the full model id, subpath included. */
export function submitPathOf(model: ModelEntry): string {
  return `/${model.id}`;
}

/**
 * fal's published price: $0.014 (standard) or $0.0112 (fast) per 1000 tokens, tokens =
 * width × height × seconds × 24 / 1024 — $0.3034/s and $0.2419/s at 720p as the model pages
 * round it. With reference videos the price is multiplied by 0.6 (and their seconds count too).
 */
const pricePerThousandTokens: Record<Tier, number> = { standard: 0.014, fast: 0.0112 };
const pixels: Record<string, number> = { "480p": 854 * 480, "720p": 1280 * 720 };

export function falCostOf(request: GenerationRequest): number {
  const seconds = request.duration === undefined || request.duration === -1 ? 15 : request.duration;
  const inputVideoSeconds = request.referenceVideos.reduce(
    (sum, video) => sum + (video.durationSeconds ?? 0),
    0,
  );
  const area = pixels[request.resolution ?? "720p"] ?? (pixels["720p"] as number);
  const tokens = (area * (seconds + inputVideoSeconds) * 24) / 1024;
  const discount = request.referenceVideos.length > 0 ? 0.6 : 1;
  const amount = (tokens / 1000) * pricePerThousandTokens[request.tier] * discount;
  return Math.round(amount * 100) / 100;
}

/** Seconds fal usually needs (not published: a planning figure for the poll cadence and ETA). */
export function expectedSecondsOf(request: GenerationRequest): number {
  const seconds = request.duration === undefined || request.duration === -1 ? 10 : request.duration;
  return (request.tier === "fast" ? 12 : 24) * seconds;
}
