import type { GenerationRequest } from "../domain/generation-request.ts";

/** "seed 42", or "seed 42 (not used: this model takes no seed)" when the model cannot take one. */
export function describeSeed(request: GenerationRequest): string | undefined {
  if (request.seed === undefined) return undefined;
  return request.ignoredSettings?.includes("seed")
    ? `seed ${request.seed} (not used: this model takes no seed)`
    : `seed ${request.seed}`;
}
