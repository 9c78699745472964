import { type GenerationRequest, type Resolution, resolutions } from "./generation-request.ts";
import type { ModelLimits } from "./model-limits.ts";

/** What Seedance makes when no resolution is asked for. */
export const defaultResolution: Resolution = "720p";

export function highestResolution(limits: Pick<ModelLimits, "resolutions">): Resolution {
  const ranked = [...limits.resolutions].sort(
    (left, right) => resolutions.indexOf(left) - resolutions.indexOf(right),
  );
  return ranked.at(-1) ?? defaultResolution;
}

/** The model's highest resolution when the request is below it (what Upscale makes); else undefined. */
export function upscaleTarget(
  request: Pick<GenerationRequest, "resolution">,
  limits: Pick<ModelLimits, "resolutions">,
): Resolution | undefined {
  const current = request.resolution ?? defaultResolution;
  const highest = highestResolution(limits);
  return resolutions.indexOf(highest) > resolutions.indexOf(current) ? highest : undefined;
}
