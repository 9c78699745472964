import type { GenerationRequest } from "../domain/generation-request.ts";
import type { ModelEntry } from "../domain/model-catalog.ts";
import type { GenerationProvider } from "../providers/generation-provider.ts";

/** The request as stored: with the settings this model cannot take named, so the card can say so. */
export function withIgnoredSettings(
  provider: GenerationProvider,
  request: GenerationRequest,
  model: ModelEntry,
): GenerationRequest {
  const { ignoredSettings: _previous, ...rest } = request;
  const ignored = provider.ignoredSettings?.(rest, model) ?? [];
  return ignored.length > 0 ? { ...rest, ignoredSettings: ignored } : rest;
}
