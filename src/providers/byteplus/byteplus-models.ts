import type {
  GenerationMode,
  GenerationRequest,
  Resolution,
  Tier,
} from "../../domain/generation-request.ts";
import type { ModelCatalog, ModelEntry } from "../../domain/model-catalog.ts";
import { providerRange, seedanceLimits } from "../../domain/model-limits.ts";

/**
 * BytePlus ModelArk serves one model per tier for all three modes (the `content[]` roles say
 * which): `dreamina-seedance-2-0-260128` and `…-fast-260128`. 480p/720p/1080p on standard,
 * 480p/720p on fast; 4–15 s or -1; up to 9 images, 3 videos and 3 audio clips.
 */
const modelIds: Record<Tier, string> = {
  standard: "dreamina-seedance-2-0-260128",
  fast: "dreamina-seedance-2-0-fast-260128",
};

const arkResolutions = (tier: Tier): readonly Resolution[] =>
  tier === "fast" ? ["480p", "720p"] : ["480p", "720p", "1080p"];

function entry(mode: GenerationMode, tier: Tier): ModelEntry {
  return {
    id: modelIds[tier],
    limits: { ...seedanceLimits[mode][tier], ...providerRange("BytePlus", tier, arkResolutions) },
  };
}

export const byteplusCatalog: ModelCatalog = {
  text: { standard: entry("text", "standard"), fast: entry("text", "fast") },
  image: { standard: entry("image", "standard"), fast: entry("image", "fast") },
  reference: { standard: entry("reference", "standard"), fast: entry("reference", "fast") },
};

/** A planning figure (Ark publishes none): seconds of work per second of video. */
export function expectedSecondsOf(request: GenerationRequest): number {
  const seconds = request.duration === undefined || request.duration === -1 ? 10 : request.duration;
  return (request.tier === "fast" ? 12 : 24) * seconds;
}
