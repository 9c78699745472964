import { type FakeDialect, fakeModels } from "./fake-unified-task-tasks.ts";

/** Why a create body would be refused, in the dialect's documented terms; undefined if it is fine. */
export interface Refusal {
  status: number;
  code: string;
  message: string;
  param?: string;
}

const shared = ["model", "prompt", "aspect_ratio", "duration", "generate_audio", "callback_url"];
const allowed: Record<FakeDialect, Set<string>> = {
  aihubmax: new Set([
    ...shared,
    "resolution",
    "seed",
    "image_url",
    "end_image_url",
    "image_urls",
    "video_urls",
    "audio_urls",
  ]),
  evolink: new Set([
    ...shared,
    "quality",
    "image_urls",
    "video_urls",
    "audio_urls",
    "content_filter",
    "model_params",
  ]),
};

const invalid = (message: string, param?: string): Refusal => ({
  status: 400,
  code: "invalid_request_error",
  message,
  ...(param ? { param } : {}),
});

/** Checks a create body the way the documentation describes each API's fields. */
export function refusalOf(dialect: FakeDialect, body: unknown): Refusal | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return invalid("The body must be a JSON object");
  }
  const fields = body as Record<string, unknown>;
  const model = fields.model;
  if (typeof model !== "string" || !fakeModels.includes(model)) {
    return { status: 422, code: "model_not_found", message: `Model ${String(model)} not found` };
  }
  for (const name of Object.keys(fields)) {
    if (!allowed[dialect].has(name)) return invalid(`Unknown parameter: ${name}`, name);
  }
  if (typeof fields.prompt !== "string" || fields.prompt.length === 0) {
    return invalid("prompt is required", "prompt");
  }
  if (fields.prompt.length > 5000) return invalid("prompt is too long", "prompt");
  const fast = model.includes("-fast-");
  const resolution = dialect === "aihubmax" ? fields.resolution : fields.quality;
  const resolutions = fast ? ["480p", "720p"] : ["480p", "720p", "1080p"];
  if (resolution !== undefined && !resolutions.includes(String(resolution))) {
    return invalid(`resolution ${String(resolution)} is not supported`, "resolution");
  }
  const duration = fields.duration;
  const autoAllowed = dialect === "aihubmax";
  if (
    duration !== undefined &&
    !(duration === -1 && autoAllowed) &&
    !(typeof duration === "number" && Number.isInteger(duration) && duration >= 4 && duration <= 15)
  ) {
    return invalid(`duration ${String(duration)} is not supported`, "duration");
  }
  return mediaRefusal(dialect, model, fields);
}

function mediaRefusal(
  dialect: FakeDialect,
  model: string,
  fields: Record<string, unknown>,
): Refusal | undefined {
  const count = (name: string) => (Array.isArray(fields[name]) ? fields[name].length : 0);
  const mode = model.includes("image-to-video")
    ? "image"
    : model.includes("reference")
      ? "reference"
      : "text";
  const media = ["image_url", "end_image_url", "image_urls", "video_urls", "audio_urls"];
  if (mode === "text" && media.some((name) => fields[name] !== undefined)) {
    return invalid("text-to-video takes no media");
  }
  if (mode === "image") {
    if (dialect === "aihubmax" && typeof fields.image_url !== "string") {
      return invalid("image_url is required", "image_url");
    }
    if (dialect === "aihubmax" && count("image_urls") > 0) {
      return invalid("image_urls is for reference-to-video", "image_urls");
    }
    if (dialect === "evolink" && (count("image_urls") < 1 || count("image_urls") > 2)) {
      return invalid("image_urls must hold 1 or 2 images", "image_urls");
    }
  }
  if (mode === "reference") {
    if (count("image_urls") > 9 || count("video_urls") > 3 || count("audio_urls") > 3) {
      return invalid("too many reference files");
    }
    if (count("audio_urls") > 0 && count("image_urls") + count("video_urls") === 0) {
      return invalid("audio needs an image or a video", "audio_urls");
    }
  }
  return undefined;
}
