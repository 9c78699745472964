import type { GenerationRequest } from "../../domain/generation-request.ts";

/** fal's input fields for the three Seedance 2.0 endpoints. */
export interface FalInput {
  prompt: string;
  resolution?: string;
  duration?: string;
  aspect_ratio?: string;
  generate_audio?: boolean;
  seed?: number;
  image_url?: string;
  end_image_url?: string;
  image_urls?: string[];
  video_urls?: string[];
  audio_urls?: string[];
}

/**
 * Our request in fal's words: duration is a string ("auto" or "4"…"15"), "adaptive" is fal's
 * "auto" aspect ratio, references are `image_urls`/`video_urls`/`audio_urls` (named @Image1… in
 * the prompt, as users already write them).
 */
export function toFalInput(request: GenerationRequest): FalInput {
  const input: FalInput = { prompt: request.prompt };
  if (request.resolution) input.resolution = request.resolution;
  if (request.duration !== undefined) {
    input.duration = request.duration === -1 ? "auto" : String(request.duration);
  }
  if (request.aspectRatio) {
    input.aspect_ratio = request.aspectRatio === "adaptive" ? "auto" : request.aspectRatio;
  }
  if (request.generateAudio !== undefined) input.generate_audio = request.generateAudio;
  if (request.seed !== undefined) input.seed = request.seed;
  if (request.mode === "image") {
    if (request.startImage) input.image_url = request.startImage.url;
    if (request.endImage) input.end_image_url = request.endImage.url;
  }
  if (request.mode === "reference") {
    if (request.referenceImages.length)
      input.image_urls = request.referenceImages.map((m) => m.url);
    if (request.referenceVideos.length)
      input.video_urls = request.referenceVideos.map((m) => m.url);
    if (request.referenceAudios.length)
      input.audio_urls = request.referenceAudios.map((m) => m.url);
  }
  return input;
}
