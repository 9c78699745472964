import { billableSeconds, type GenerationRequest } from "../../domain/generation-request.ts";
import type { ModelEntry } from "../../domain/model-catalog.ts";
import type { CostEstimate } from "../generation-provider.ts";
import type { OxenModelDetails } from "./oxen-models.ts";
import type { OxenPricing } from "./oxen-schemas.ts";

/** Resolutions billed at `cost_per_second_high_res` (Oxen does not say where "high" begins). */
const highResolutions = new Set(["1080p", "4k"]);

/**
 * Price of a request from the model's `per_video_output_second` pricing; auto duration = max.
 * The documented rates come first: `cost_per_second_high_res` for 1080p and 4k,
 * `cost_per_second_with_audio` when sound is made (the higher one when both apply). Then the
 * per-resolution table, then `cost_per_second`.
 */
export function estimateOxenCost(
  request: GenerationRequest,
  model: ModelEntry,
  details: OxenModelDetails | undefined,
): CostEstimate | undefined {
  const pricing = details?.pricing;
  if (pricing?.method !== "per_video_output_second") return undefined;
  const properties = details?.requestSchema?.properties;
  const resolution = request.resolution ?? stringDefault(properties?.resolution?.default, "720p");
  const audioDefault = properties?.generate_audio?.default;
  const audio = request.generateAudio ?? (typeof audioDefault === "boolean" ? audioDefault : false);
  const rate = ratePerSecond(pricing, resolution, audio);
  if (rate === undefined) return undefined;
  const seconds = billableSeconds(request, model.limits.maxDuration);
  return { amount: Math.round(rate * seconds * 1_000_000) / 1_000_000, currency: "USD" };
}

function ratePerSecond(pricing: OxenPricing, resolution: string, audio: boolean) {
  const documented = [
    highResolutions.has(resolution) ? pricing.cost_per_second_high_res : undefined,
    audio ? pricing.cost_per_second_with_audio : undefined,
  ].filter((rate): rate is number => typeof rate === "number");
  if (documented.length > 0) return Math.max(...documented);
  return (
    pricing.cost_per_second_by_resolution?.[resolution] ?? pricing.cost_per_second ?? undefined
  );
}

function stringDefault(value: unknown, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}
