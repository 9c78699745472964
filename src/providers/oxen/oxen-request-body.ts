import type { GenerationRequest, MediaInput } from "../../domain/generation-request.ts";
import type { ModelEntry } from "../../domain/model-catalog.ts";

/** The JSON sent to `POST /api/ai/queue`: queue fields plus the model's own parameters. */
export interface OxenRequestBody {
  model: string;
  prompt: string;
  [field: string]: unknown;
}

/** Maps a neutral request to Oxen field names, leaving out everything the user did not set. */
export function toOxenRequestBody(request: GenerationRequest, model: ModelEntry): OxenRequestBody {
  const body: OxenRequestBody = { model: model.id, num_generations: 1, prompt: request.prompt };
  const optional: Record<string, unknown> = {
    resolution: request.resolution,
    duration: request.duration,
    aspect_ratio: request.aspectRatio,
    generate_audio: request.generateAudio,
    seed: request.seed,
    watermark: request.watermark,
  };
  if (request.mode === "image") {
    Object.assign(optional, {
      input_image: request.startImage?.url,
      input_image_has_face: request.startImage?.hasFace,
      tail_image_url: request.endImage?.url,
      tail_image_url_has_face: request.endImage?.hasFace,
    });
  }
  if (request.mode === "reference") {
    const images = orderReferenceImages(request.referenceImages);
    body.prompt = renumberImageTokens(request.prompt, images.numberOf);
    Object.assign(optional, {
      input_face_images: nonEmpty(images.faces.map((image) => image.url)),
      input_images: nonEmpty(images.others.map((image) => image.url)),
      input_videos: nonEmpty(request.referenceVideos.map((video) => video.url)),
      input_audios: nonEmpty(request.referenceAudios.map((audio) => audio.url)),
    });
  }
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined) body[field] = value;
  }
  return body;
}

/**
 * Oxen numbers face images before the others ("face-containing media is indexed before non-face
 * media within its type"); `numberOf[i]` is the @Image number Oxen gives the user's image i+1.
 */
function orderReferenceImages(images: readonly MediaInput[]) {
  const faces = images.filter((image) => image.hasFace === true);
  const others = images.filter((image) => image.hasFace !== true);
  let nextFace = 0;
  let nextOther = faces.length;
  const numberOf = images.map((image) => (image.hasFace === true ? ++nextFace : ++nextOther));
  return { faces, others, numberOf };
}

/** Rewrites @ImageN so each token still points at the image the user meant. */
export function renumberImageTokens(prompt: string, numberOf: readonly number[]): string {
  return prompt.replace(/@(image)(\d+)/gi, (token, word: string, digits: string) => {
    const mapped = numberOf[Number(digits) - 1];
    return mapped === undefined ? token : `@${word}${mapped}`;
  });
}

function nonEmpty(values: string[]): string[] | undefined {
  return values.length > 0 ? values : undefined;
}
