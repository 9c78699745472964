/**
 * Model objects as `GET /api/ai/models/{id}` returns them, for the Seedance 2.0 family, with the
 * request schemas Oxen publishes (docs.oxen.ai model pages, regenerated 2026-07-01): none of the
 * six declares `seed`; reference-to-video declares `input_face_images` and `input_face_videos`.
 */

export const fakeOxenModelIds = [
  "bytedance-seedance-2-0-text-to-video",
  "bytedance-seedance-2-0-image-to-video",
  "bytedance-seedance-2-0-reference-to-video",
  "bytedance-seedance-2-0-fast-text-to-video",
  "bytedance-seedance-2-0-fast-image-to-video",
  "bytedance-seedance-2-0-fast-reference-to-video",
] as const;

/**
 * The documented pricing fields (HUBSPEC `Model.pricing`). The amounts are ours: Oxen publishes
 * the field names, not the Seedance rates. The fast tier has no high-resolution output.
 */
export function fakeOxenPricing(id: string): Record<string, unknown> {
  return id.includes("-fast-")
    ? { method: "per_video_output_second", cost_per_second: 0.05, cost_per_second_with_audio: 0.08 }
    : {
        method: "per_video_output_second",
        cost_per_second: 0.1,
        cost_per_second_with_audio: 0.15,
        cost_per_second_high_res: 0.2,
      };
}

const uri = (description: string) => ({ type: "string", format: "uri", description });
const uriList = (description: string) => ({
  type: "array",
  items: { type: "string", format: "uri" },
  description,
});
const faceFlag = (description: string) => ({ type: "boolean", default: false, description });
const faceWarning = "Content filters may block the request if this is not enabled.";

function sharedProperties(fast: boolean): Record<string, unknown> {
  return {
    resolution: {
      type: "string",
      enum: fast ? ["480p", "720p"] : ["480p", "720p", "1080p", "4k"],
      default: "720p",
      description: "Video resolution.",
    },
    duration: {
      type: "integer",
      enum: [-1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
      default: -1,
      description: "Duration of the video in seconds, or -1 to let the model decide.",
    },
    aspect_ratio: {
      type: "string",
      enum: ["adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"],
      default: "16:9",
      description: "The aspect ratio of the generated video.",
    },
    generate_audio: {
      type: "boolean",
      default: false,
      description: "Whether to generate synchronized audio.",
    },
    watermark: {
      type: "boolean",
      default: false,
      description: "Whether to add an 'AI generated' watermark to the output.",
    },
  };
}

function requestSchema(id: string): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    prompt: { type: "string", description: "What happens in the video" },
  };
  const required = ["prompt"];
  if (id.endsWith("image-to-video")) {
    Object.assign(properties, {
      input_image: uri("The URL of the starting frame image. Formats: JPEG, PNG, WebP. Max 30 MB."),
      input_image_has_face: faceFlag(
        `Turn this on when the start frame contains a real human face. ${faceWarning}`,
      ),
      tail_image_url: uri("Optional URL of the end-frame image."),
      tail_image_url_has_face: faceFlag(
        `Turn this on when the end frame contains a real human face. ${faceWarning}`,
      ),
    });
    required.push("input_image");
  }
  if (id.endsWith("reference-to-video")) {
    Object.assign(properties, {
      input_face_images: uriList("Place reference images here when they show a real human face."),
      input_images: uriList("Up to 9 total reference images and up to 15 references in all"),
      input_face_videos: uriList("Place reference videos here when they show a real human face."),
      input_videos: uriList("Up to 3 reference videos"),
      input_audios: uriList("Up to 3 reference audio clips"),
    });
  }
  Object.assign(properties, sharedProperties(id.includes("-fast-")));
  return { type: "object", properties, required };
}

export function fakeOxenModel(id: string): Record<string, unknown> {
  const mode = id.replace(/^bytedance-seedance-2-0-(fast-)?/, "").replace(/-to-video$/, "");
  return {
    id,
    object: "model",
    created: 1_775_000_000,
    owned_by: "bytedance",
    display_name: `Seedance 2.0 ${mode}`,
    description: "ByteDance Seedance 2.0",
    model_type: "base",
    endpoint: "/videos/generate",
    capabilities: { input: mode === "text" ? ["text"] : ["text", "image"], output: ["video"] },
    pricing: fakeOxenPricing(id),
    request_schema: requestSchema(id),
    deployments: [{ status: "active" }],
  };
}
