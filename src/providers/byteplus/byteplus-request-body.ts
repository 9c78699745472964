import type { GenerationRequest, MediaInput } from "../../domain/generation-request.ts";
import type { ModelEntry } from "../../domain/model-catalog.ts";

type ContentItem =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string }; role: string }
  | { type: "video_url"; video_url: { url: string }; role: string }
  | { type: "audio_url"; audio_url: { url: string }; role: string };

export interface ArkCreateBody {
  model: string;
  content: ContentItem[];
  resolution?: string;
  ratio?: string;
  duration?: number;
  generate_audio?: boolean;
  seed?: number;
  watermark?: boolean;
  return_last_frame: boolean;
  callback_url?: string;
  service_tier?: "default" | "flex";
}

const image = (media: MediaInput, role: string): ContentItem => ({
  type: "image_url",
  image_url: { url: media.url },
  role,
});

/**
 * Our request as one Ark task: the prompt and every file in `content[]` with its role; the last
 * frame is always asked for (Extend uses it instead of extracting one).
 */
export function toArkBody(
  request: GenerationRequest,
  model: ModelEntry,
  options: { callbackUrl?: string; serviceTier?: "default" | "flex" } = {},
): ArkCreateBody {
  const content: ContentItem[] = [{ type: "text", text: request.prompt }];
  if (request.mode === "image") {
    if (request.startImage) content.push(image(request.startImage, "first_frame"));
    if (request.endImage) content.push(image(request.endImage, "last_frame"));
  }
  if (request.mode === "reference") {
    for (const each of request.referenceImages) content.push(image(each, "reference_image"));
    for (const each of request.referenceVideos) {
      content.push({ type: "video_url", video_url: { url: each.url }, role: "reference_video" });
    }
    for (const each of request.referenceAudios) {
      content.push({ type: "audio_url", audio_url: { url: each.url }, role: "reference_audio" });
    }
  }
  const body: ArkCreateBody = { model: model.id, content, return_last_frame: true };
  if (request.resolution) body.resolution = request.resolution;
  if (request.aspectRatio) body.ratio = request.aspectRatio;
  if (request.duration !== undefined) body.duration = request.duration;
  if (request.generateAudio !== undefined) body.generate_audio = request.generateAudio;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.watermark !== undefined) body.watermark = request.watermark;
  if (options.callbackUrl) body.callback_url = options.callbackUrl;
  if (options.serviceTier && options.serviceTier !== "default")
    body.service_tier = options.serviceTier;
  return body;
}
