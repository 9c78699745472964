/** Model objects as `GET /api/ai/models/{id}` returns them, for the Seedance 2.0 family. */

export const fakeOxenModelIds = [
  "bytedance-seedance-2-0-text-to-video",
  "bytedance-seedance-2-0-image-to-video",
  "bytedance-seedance-2-0-reference-to-video",
  "bytedance-seedance-2-0-fast-text-to-video",
  "bytedance-seedance-2-0-fast-image-to-video",
  "bytedance-seedance-2-0-fast-reference-to-video",
] as const;

export const fakeOxenPricing = {
  method: "per_video_output_second",
  cost_per_second_by_resolution: { "480p": 0.05, "720p": 0.1, "1080p": 0.2, "4k": 0.4 },
};

const uri = (description: string) => ({ type: "string", format: "uri", description });
const uriList = (description: string) => ({
  type: "array",
  items: { type: "string", format: "uri" },
  description,
});
const faceFlag = { type: "boolean", default: false };

function requestSchema(id: string): Record<string, unknown> {
  const fast = id.includes("-fast-");
  const properties: Record<string, unknown> = {
    prompt: { type: "string", description: "What happens in the video" },
    resolution: {
      type: "string",
      enum: fast ? ["480p", "720p"] : ["480p", "720p", "1080p", "4k"],
      default: "720p",
    },
    duration: {
      type: "integer",
      enum: [-1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
      default: -1,
    },
    aspect_ratio: {
      type: "string",
      enum: ["adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"],
      default: "16:9",
    },
    generate_audio: { type: "boolean", default: false },
    seed: { type: "integer", minimum: -1, maximum: 2_147_483_647 },
    watermark: { type: "boolean", default: false },
  };
  const required = ["prompt"];
  if (id.endsWith("image-to-video")) {
    Object.assign(properties, {
      input_image: uri("The starting frame"),
      input_image_has_face: faceFlag,
      tail_image_url: uri("The last frame"),
      tail_image_url_has_face: faceFlag,
    });
    required.push("input_image");
  }
  if (id.endsWith("reference-to-video")) {
    Object.assign(properties, {
      input_face_images: uriList("Images with a real human face"),
      input_images: uriList("Up to 9 reference images"),
      input_face_videos: uriList("Videos with a real human face"),
      input_videos: uriList("Up to 3 reference videos"),
      input_audios: uriList("Up to 3 reference audio clips"),
    });
  }
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
    pricing: fakeOxenPricing,
    request_schema: requestSchema(id),
    deployments: [{ status: "active" }],
  };
}
