import type { GenerationRequest, MediaInput } from "../../domain/generation-request.ts";
import type { ModelEntry } from "../../domain/model-catalog.ts";

/** The JSON sent to `POST /v1/videos/generations`. */
export interface UnifiedTaskRequestBody {
  model: string;
  prompt: string;
  [field: string]: unknown;
}

/**
 * AIHubMax: `resolution`, `seed`, i2v as `image_url` + `end_image_url`, r2v as
 * `image_urls`/`video_urls`/`audio_urls`. Unset options are left to the provider's defaults.
 */
export function toAihubmaxBody(request: GenerationRequest, model: ModelEntry) {
  return withoutUndefined({
    model: model.id,
    prompt: request.prompt,
    resolution: request.resolution,
    aspect_ratio: request.aspectRatio,
    duration: request.duration,
    generate_audio: request.generateAudio,
    seed: request.seed,
    ...(request.mode === "image"
      ? { image_url: request.startImage?.url, end_image_url: request.endImage?.url }
      : {}),
    ...(request.mode === "reference" ? referenceFields(request) : {}),
  });
}

/**
 * EvoLink: `quality` instead of `resolution`, i2v frames as `image_urls` ([start] or [start, end]),
 * r2v as AIHubMax. EvoLink documents no `seed`, so none is sent (a 🔁 still gives a new video).
 */
export function toEvolinkBody(request: GenerationRequest, model: ModelEntry) {
  return withoutUndefined({
    model: model.id,
    prompt: request.prompt,
    quality: request.resolution,
    aspect_ratio: request.aspectRatio,
    duration: request.duration,
    generate_audio: request.generateAudio,
    ...(request.mode === "image"
      ? { image_urls: urls([request.startImage, request.endImage]) }
      : {}),
    ...(request.mode === "reference" ? referenceFields(request) : {}),
  });
}

/** Reference media in the user's order, so @Image1… in the prompt keep pointing at the same file. */
function referenceFields(request: GenerationRequest) {
  return {
    image_urls: urls(request.referenceImages),
    video_urls: urls(request.referenceVideos),
    audio_urls: urls(request.referenceAudios),
  };
}

function urls(media: ReadonlyArray<MediaInput | undefined>): string[] | undefined {
  const list = media.flatMap((item) => (item ? [item.url] : []));
  return list.length > 0 ? list : undefined;
}

function withoutUndefined(
  fields: { model: string; prompt: string } & Record<string, unknown>,
): UnifiedTaskRequestBody {
  const body: UnifiedTaskRequestBody = { model: fields.model, prompt: fields.prompt };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) body[name] = value;
  }
  return body;
}
