import { UserFacingError } from "../errors.ts";
import {
  type GenerationRequest,
  type GenerationRequestInput,
  generationRequestSchema,
  type MediaInput,
} from "./generation-request.ts";
import type { ModelLimits } from "./model-limits.ts";

/** Spaces, control and format characters (zero-width, direction marks) and lone combining marks. */
const invisibleCharacters = /[\s\p{Cc}\p{Cf}\p{Mn}\p{Me}]/gu;
const referenceTokenPattern = /@(Image|Video|Audio)(\d+)/gi;
const seedMaximum = 2_147_483_647;

function describeList(values: readonly string[]): string {
  return values.join(", ");
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function label(kind: string, media: MediaInput, index: number): string {
  return media.fileName ? `${kind} ${index + 1} (${media.fileName})` : `${kind} ${index + 1}`;
}

type AddIssue = (field: string, message: string) => void;

function checkMedia(
  kind: "image" | "video" | "audio",
  items: readonly MediaInput[],
  limits: ModelLimits,
  addIssue: AddIssue,
): void {
  const types =
    kind === "image" ? limits.imageTypes : kind === "video" ? limits.videoTypes : limits.audioTypes;
  const perFileLimit =
    kind === "image" ? limits.maxImageBytes : kind === "audio" ? limits.maxAudioBytes : undefined;
  items.forEach((media, index) => {
    const name = label(kind, media, index);
    if (media.contentType && !types.includes(media.contentType)) {
      addIssue(`${kind}s`, `${name} is ${media.contentType}; use ${describeList(types)}.`);
    }
    if (
      perFileLimit !== undefined &&
      media.sizeBytes !== undefined &&
      media.sizeBytes > perFileLimit
    ) {
      addIssue(
        `${kind}s`,
        `${name} is ${megabytes(media.sizeBytes)}; the limit is ${megabytes(perFileLimit)} per ${kind}.`,
      );
    }
  });
}

function checkTotals(request: GenerationRequest, limits: ModelLimits, addIssue: AddIssue): void {
  const videoBytes = request.referenceVideos.reduce(
    (sum, video) => sum + (video.sizeBytes ?? 0),
    0,
  );
  if (videoBytes > limits.maxTotalVideoBytes) {
    addIssue(
      "videos",
      `the videos add up to ${megabytes(videoBytes)}; the limit is ${megabytes(limits.maxTotalVideoBytes)} in total.`,
    );
  }
  const videoSeconds = request.referenceVideos.reduce(
    (sum, v) => sum + (v.durationSeconds ?? 0),
    0,
  );
  if (videoSeconds > limits.maxTotalVideoSeconds) {
    addIssue(
      "videos",
      `the videos last ${videoSeconds} s together; the limit is ${limits.maxTotalVideoSeconds} s.`,
    );
  }
  const audioSeconds = request.referenceAudios.reduce(
    (sum, a) => sum + (a.durationSeconds ?? 0),
    0,
  );
  if (audioSeconds > limits.maxTotalAudioSeconds) {
    addIssue(
      "audios",
      `the audio clips last ${audioSeconds} s together; the limit is ${limits.maxTotalAudioSeconds} s.`,
    );
  }
}

function checkReferenceTokens(request: GenerationRequest, addIssue: AddIssue): void {
  const counts: Record<string, number> = {
    image: request.referenceImages.length,
    video: request.referenceVideos.length,
    audio: request.referenceAudios.length,
  };
  // Each missing file is named once, and at most a few of them: the prompt may repeat a mention.
  const missing = new Map<string, string[]>();
  for (const match of request.prompt.matchAll(referenceTokenPattern)) {
    const kind = match[1] ?? "";
    const number = Number(match[2]);
    const available = counts[kind.toLowerCase()] ?? 0;
    if (number >= 1 && number <= available) continue;
    const tokens = missing.get(kind) ?? [];
    if (!tokens.includes(match[0])) tokens.push(match[0]);
    missing.set(kind, tokens);
  }
  for (const [kind, tokens] of missing) {
    const available = counts[kind.toLowerCase()] ?? 0;
    const range =
      available === 0
        ? `no ${kind.toLowerCase()}s are attached`
        : `only @${kind}1–@${kind}${available} exist`;
    const named = tokens.slice(0, 3).map((token) => token.slice(0, 24));
    const more = tokens.length > 3 ? ` and ${tokens.length - 3} more` : "";
    addIssue("prompt", `the prompt mentions ${named.join(", ")}${more} but ${range}.`);
  }
}

function checkModeMedia(request: GenerationRequest, limits: ModelLimits, addIssue: AddIssue): void {
  const references =
    request.referenceImages.length +
    request.referenceVideos.length +
    request.referenceAudios.length;
  if (request.mode === "text" && (request.startImage || request.endImage || references > 0)) {
    addIssue("mode", "text-to-video takes no media; use /animate or /reference to send files.");
  }
  if (request.mode === "image") {
    if (!request.startImage) {
      addIssue(
        "image",
        "image-to-video needs a start image: attach one or reply to a message with an image.",
      );
    }
    if (references > 0) {
      addIssue(
        "mode",
        "image-to-video takes a start and an end image only; use /reference for more files.",
      );
    }
    checkMedia(
      "image",
      [request.startImage, request.endImage].filter((m) => m !== undefined),
      limits,
      addIssue,
    );
  }
  if (request.mode === "reference") {
    checkReferenceCounts(request, limits, addIssue);
  }
}

function checkReferenceCounts(
  request: GenerationRequest,
  limits: ModelLimits,
  addIssue: AddIssue,
): void {
  const images = request.referenceImages.length;
  const videos = request.referenceVideos.length;
  const audios = request.referenceAudios.length;
  const total = images + videos + audios;
  if (request.startImage || request.endImage) {
    addIssue(
      "mode",
      "reference-to-video takes reference files, not start or end frames; use /animate for those.",
    );
  }
  if (images + videos === 0) {
    addIssue(
      audios > 0 ? "audios" : "images",
      audios > 0
        ? "audio needs at least one reference image or video beside it."
        : "reference-to-video needs at least one image or video; attach some, or use /video for text only.",
    );
  }
  const counts = [
    ["images", images, limits.maxImages],
    ["videos", videos, limits.maxVideos],
    ["audios", audios, limits.maxAudios],
  ] as const;
  for (const [field, count, maximum] of counts) {
    if (count > maximum) addIssue(field, `${count} ${field} attached; the limit is ${maximum}.`);
  }
  if (total > limits.maxFiles) {
    addIssue(
      "files",
      `${total} reference files attached; the limit is ${limits.maxFiles} across images, videos and audio.`,
    );
  }
  checkMedia("image", request.referenceImages, limits, addIssue);
  checkMedia("video", request.referenceVideos, limits, addIssue);
  checkMedia("audio", request.referenceAudios, limits, addIssue);
  checkTotals(request, limits, addIssue);
  checkReferenceTokens(request, addIssue);
}

function checkScalars(request: GenerationRequest, limits: ModelLimits, addIssue: AddIssue): void {
  const length = [...request.prompt].length;
  if (request.prompt.replace(invisibleCharacters, "") === "") {
    addIssue(
      "prompt",
      `the prompt is empty; describe the video in 1–${limits.maxPromptLength} characters.`,
    );
  } else if (length > limits.maxPromptLength) {
    addIssue(
      "prompt",
      `the prompt is ${length} characters; the limit is ${limits.maxPromptLength}. Shorten it by ${length - limits.maxPromptLength}.`,
    );
  }
  if (request.resolution && !limits.resolutions.includes(request.resolution)) {
    addIssue("resolution", resolutionMessage(request.resolution, limits));
  }
  const on = limits.provider ? ` on ${limits.provider}` : "";
  if (request.aspectRatio && !limits.aspectRatios.includes(request.aspectRatio)) {
    addIssue(
      "aspect_ratio",
      `aspect_ratio ${request.aspectRatio} is not supported${on}; choose ${describeList(limits.aspectRatios)}.`,
    );
  }
  const duration = request.duration;
  const autoAllowed = limits.autoDuration && duration === -1;
  if (
    duration !== undefined &&
    !autoAllowed &&
    (duration < limits.minDuration || duration > limits.maxDuration)
  ) {
    const auto = limits.autoDuration ? ", or auto to let the model decide" : "";
    addIssue(
      "duration",
      `duration ${duration} is out of range${on}; use ${limits.minDuration}–${limits.maxDuration} seconds${auto}.`,
    );
  }
  if (request.seed !== undefined && (request.seed < -1 || request.seed > seedMaximum)) {
    addIssue(
      "seed",
      `seed ${request.seed} is out of range; use a whole number from 0 to ${seedMaximum}.`,
    );
  }
}

/** Names the value and the range; a provider's own range is said to be that provider's. */
function resolutionMessage(resolution: string, limits: ModelLimits): string {
  const choose = `choose ${describeList(limits.resolutions)}`;
  if (!limits.provider) {
    const hint = limits.tier === "fast" ? " on the fast tier (drop --fast for more)" : "";
    return `resolution ${resolution} is not available${hint}; ${choose}.`;
  }
  const onStandard = (limits.standardResolutions ?? []).some((each) => each === resolution);
  return onStandard
    ? `resolution ${resolution} is not available on ${limits.provider}'s fast tier; ${choose}, or drop --fast for ${resolution}.`
    : `resolution ${resolution} is not available on ${limits.provider}; ${choose}.`;
}

const schemas = new WeakMap<ModelLimits, ReturnType<typeof buildSchema>>();

/**
 * The request schema for one model: the neutral shape plus that model's limits, as data. Built
 * once per limits object: zod compiles a schema on its first parse, which costs more than a parse.
 */
export function requestSchemaFor(limits: ModelLimits) {
  let schema = schemas.get(limits);
  if (!schema) {
    schema = buildSchema(limits);
    schemas.set(limits, schema);
  }
  return schema;
}

function buildSchema(limits: ModelLimits) {
  return generationRequestSchema.superRefine((request, context) => {
    const addIssue: AddIssue = (field, message) =>
      context.addIssue({ code: "custom", path: [field], message });
    if (request.mode !== limits.mode) {
      addIssue("mode", `this model does ${limits.mode}-to-video, not ${request.mode}-to-video.`);
      return;
    }
    checkScalars(request, limits, addIssue);
    checkModeMedia(request, limits, addIssue);
  });
}

/** Parses and checks a request; every problem found is named in one UserFacingError. */
export function validateRequest(
  input: GenerationRequestInput | unknown,
  limits: ModelLimits,
): GenerationRequest {
  const result = requestSchemaFor(limits).safeParse(input);
  if (result.success) return result.data;
  const messages = result.error.issues.map((issue) => capitalize(issue.message));
  const unique = [...new Set(messages)];
  const firstField = result.error.issues[0]?.path[0];
  throw new UserFacingError(unique.join(" "), {
    ...(typeof firstField === "string" ? { field: firstField } : {}),
  });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
