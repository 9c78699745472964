import type { GenerationRequest, MediaInput } from "../../domain/generation-request.ts";
import type { ModelEntry } from "../../domain/model-catalog.ts";
import type { OxenRequestSchema } from "./oxen-schemas.ts";

/** The JSON sent to `POST /api/ai/queue`: queue fields plus the model's own parameters. */
export interface OxenRequestBody {
  model: string;
  prompt: string;
  [field: string]: unknown;
}

/** Oxen field name of each setting a user can choose. */
const settingFields = {
  resolution: "resolution",
  duration: "duration",
  aspectRatio: "aspect_ratio",
  generateAudio: "generate_audio",
  seed: "seed",
  watermark: "watermark",
} as const;
type Setting = keyof typeof settingFields;

/** Fields older schemas had and the published ones lack: sent only where a live schema declares them. */
export const declaredOnlySometimes: ReadonlySet<string> = new Set(["seed"]);

/**
 * Whether a model parameter goes out: declared by the model's live request schema, or, while that
 * schema is unknown, any field but those the published schemas leave out.
 */
function isSent(field: string, schema: OxenRequestSchema | undefined): boolean {
  return schema ? field in schema.properties : !declaredOnlySometimes.has(field);
}

/**
 * Maps a neutral request to Oxen field names, leaving out everything the user did not set and
 * everything the model's request schema does not declare.
 */
export function toOxenRequestBody(
  request: GenerationRequest,
  model: ModelEntry,
  schema?: OxenRequestSchema,
): OxenRequestBody {
  const body: OxenRequestBody = { model: model.id, num_generations: 1, prompt: request.prompt };
  const optional: Record<string, unknown> = {};
  for (const [setting, field] of Object.entries(settingFields)) {
    optional[field] = request[setting as Setting];
  }
  if (request.mode === "image") {
    Object.assign(optional, {
      input_image: request.startImage?.url,
      input_image_has_face: request.startImage?.hasFace,
      tail_image_url: request.endImage?.url,
      tail_image_url_has_face: request.endImage?.hasFace,
    });
  }
  if (request.mode === "reference") {
    const images = orderByFace(request.referenceImages, isSent("input_face_images", schema));
    const videos = orderByFace(request.referenceVideos, isSent("input_face_videos", schema));
    body.prompt = renumberTokens(
      renumberTokens(request.prompt, "image", images.numberOf),
      "video",
      videos.numberOf,
    );
    Object.assign(optional, {
      input_face_images: nonEmpty(images.faces.map((image) => image.url)),
      input_images: nonEmpty(images.others.map((image) => image.url)),
      input_face_videos: nonEmpty(videos.faces.map((video) => video.url)),
      input_videos: nonEmpty(videos.others.map((video) => video.url)),
      input_audios: nonEmpty(request.referenceAudios.map((audio) => audio.url)),
    });
  }
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined && isSent(field, schema)) body[field] = value;
  }
  return body;
}

/** The settings the user chose that this model cannot take, so they are not sent (e.g. `seed`). */
export function oxenIgnoredSettings(
  request: GenerationRequest,
  schema: OxenRequestSchema | undefined,
): string[] {
  return Object.entries(settingFields)
    .filter(
      ([setting, field]) => request[setting as Setting] !== undefined && !isSent(field, schema),
    )
    .map(([setting]) => setting);
}

/**
 * Oxen numbers face media before the others ("face-containing media is indexed before non-face
 * media within its type"); `numberOf[i]` is the number Oxen gives the user's file i+1. Without a
 * face field for the type, everything goes in the plain list in the user's order.
 */
function orderByFace(items: readonly MediaInput[], separateFaces: boolean) {
  const isFace = (item: MediaInput) => separateFaces && item.hasFace === true;
  const faces = items.filter(isFace);
  const others = items.filter((item) => !isFace(item));
  let nextFace = 0;
  let nextOther = faces.length;
  const numberOf = items.map((item) => (isFace(item) ? ++nextFace : ++nextOther));
  return { faces, others, numberOf };
}

/** Rewrites @ImageN (or @VideoN) so each token still points at the file the user meant. */
export function renumberTokens(
  prompt: string,
  kind: "image" | "video",
  numberOf: readonly number[],
): string {
  return prompt.replace(
    new RegExp(`@(${kind})(\\d+)`, "gi"),
    (token, word: string, digits: string) => {
      const mapped = numberOf[Number(digits) - 1];
      return mapped === undefined ? token : `@${word}${mapped}`;
    },
  );
}

function nonEmpty(values: string[]): string[] | undefined {
  return values.length > 0 ? values : undefined;
}
