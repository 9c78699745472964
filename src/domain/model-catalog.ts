import type { GenerationMode, Tier } from "./generation-request.ts";
import {
  aihubmaxLimits,
  evolinkLimits,
  type LimitsTable,
  type ModelLimits,
  seedanceLimits,
} from "./model-limits.ts";

/** One provider model: its id on that provider and what it accepts. */
export interface ModelEntry {
  readonly id: string;
  readonly limits: ModelLimits;
}

export type ModelCatalog = Readonly<Record<GenerationMode, Readonly<Record<Tier, ModelEntry>>>>;

const oxenPrefix = "bytedance-seedance-2-0";

function oxenId(mode: GenerationMode, tier: Tier): string {
  return `${oxenPrefix}-${tier === "fast" ? "fast-" : ""}${mode}-to-video`;
}

function entries(
  idFor: (mode: GenerationMode, tier: Tier) => string,
  limits: LimitsTable = seedanceLimits,
): ModelCatalog {
  const row = (mode: GenerationMode) => ({
    standard: { id: idFor(mode, "standard"), limits: limits[mode].standard },
    fast: { id: idFor(mode, "fast"), limits: limits[mode].fast },
  });
  return { text: row("text"), image: row("image"), reference: row("reference") };
}

/** Oxen model ids: bytedance-seedance-2-0-{text,image,reference}-to-video and the -fast- variants. */
export const oxenCatalog: ModelCatalog = entries(oxenId);

export function catalogModelIds(catalog: ModelCatalog): string[] {
  return Object.values(catalog).flatMap((row) => [row.standard.id, row.fast.id]);
}

/** The unified-task ids: seedance-2.0-{text,image,reference}-to-video and seedance-2.0-fast-…. */
function unifiedTaskId(mode: GenerationMode, tier: Tier): string {
  return `seedance-2.0-${tier === "fast" ? "fast-" : ""}${mode}-to-video`;
}

/** AIHubMax: the same model ids as EvoLink, with its own limits. */
export const aihubmaxCatalog: ModelCatalog = entries(unifiedTaskId, aihubmaxLimits);

/** EvoLink: seedance-2.0-… ids (its mini tier is not offered: the bot knows standard and fast). */
export const evolinkCatalog: ModelCatalog = entries(unifiedTaskId, evolinkLimits);
