import { fileTypeFromBuffer } from "file-type";
import { checkImageIsWhole } from "../../commands/image-integrity.ts";
import type { MediaKind } from "../../commands/incoming-media.ts";
import type {
  GenerationRequest,
  GenerationRequestInput,
  MediaInput,
} from "../../src/domain/generation-request.ts";
import { expiresBefore } from "../../src/domain/media-expiry.ts";
import { mapMediaInputs } from "../../src/domain/media-inputs.ts";
import { type ModelLimits, seedanceLimits } from "../../src/domain/model-limits.ts";
import { UserFacingError } from "../../src/errors.ts";
import { linkExpiry, maxMediaTtlMs, type PublishedMedia } from "../../src/media/index.ts";
import { downloadSlackFile, isSlackFileUrl } from "./private-files.ts";
import type { SlackContext } from "./slack-context.ts";

export interface PublishedRequest<Request extends GenerationRequestInput = GenerationRequestInput> {
  request: Request;
  /** The URLs handed to the provider in place of Slack's private ones. */
  urls: string[];
  /** Stops serving every published copy (when the request was refused or was a duplicate). */
  release(): Promise<void>;
}

const typeNames: Readonly<Record<MediaKind, string>> = {
  image: "JPEG, PNG or WebP",
  video: "MP4 or MOV",
  audio: "MP3 or WAV",
};

function noHost(fileName: string): UserFacingError {
  return new UserFacingError(
    `Slack keeps ${fileName} private, so the video provider cannot fetch it, and this bot has nowhere to share it from. Ask the bot's admin to set PUBLIC_BASE_URL (the bot then serves each file under a signed link for an hour), or OXEN_MEDIA_REPO (a public Oxen repository the files pass through), or MEDIA_HOST=data-uri to send files inline (experimental).`,
    { field: "attachments", code: "MEDIA_REJECTED" },
  );
}

function limitsFor(kind: MediaKind, limits: ModelLimits) {
  if (kind === "image") return { maxBytes: limits.maxImageBytes, types: limits.imageTypes };
  if (kind === "video") return { maxBytes: limits.maxTotalVideoBytes, types: limits.videoTypes };
  return { maxBytes: limits.maxAudioBytes, types: limits.audioTypes };
}

async function publishOne(
  context: SlackContext,
  media: MediaInput,
  kind: MediaKind,
  limits: ModelLimits,
): Promise<{ media: MediaInput; published?: PublishedMedia }> {
  if (!isSlackFileUrl(media.url, context.files)) return { media };
  const fileName = media.fileName ?? "the file";
  if (!context.mediaHost) throw noHost(fileName);
  const allowed = limitsFor(kind, limits);
  const bytes = await downloadSlackFile(media.url, context.files, {
    maxBytes: allowed.maxBytes,
    fileName,
  });
  // The bytes decide the type, whatever the name or Slack's mimetype say.
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !allowed.types.includes(type.mime)) {
    throw new UserFacingError(
      `${fileName} is ${type?.mime ?? "not a file type the model reads"}; ${kind} inputs must be ${typeNames[kind]}.`,
      { field: "attachments", code: "MEDIA_REJECTED" },
    );
  }
  checkImageIsWhole(bytes, type.mime, fileName);
  const published = await context.mediaHost.publish(
    { bytes, contentType: type.mime, fileName: media.fileName ?? `${kind}.${type.ext}` },
    { ttlMs: maxMediaTtlMs },
  );
  return {
    media: {
      ...media,
      url: published.url,
      contentType: type.mime,
      sizeBytes: bytes.length,
      ...linkExpiry(published),
      sourceUrl: media.url,
    },
    published,
  };
}

/**
 * Makes a request's Slack files reachable by the provider: each private file is downloaded with
 * the bot token, checked from its bytes, and published through the media host under a signed,
 * expiring URL that replaces Slack's. Media that are not Slack files pass through unchanged.
 */
export async function publishSlackMedia<Request extends GenerationRequestInput>(
  context: SlackContext,
  request: Request,
): Promise<PublishedRequest<Request>> {
  const limits = seedanceLimits[request.mode][request.tier ?? "standard"];
  const inputs: ReadonlyArray<readonly [MediaInput, MediaKind]> = [
    ...(request.startImage ? [[request.startImage, "image"] as const] : []),
    ...(request.endImage ? [[request.endImage, "image"] as const] : []),
    ...(request.referenceImages ?? []).map((media) => [media, "image"] as const),
    ...(request.referenceVideos ?? []).map((media) => [media, "video"] as const),
    ...(request.referenceAudios ?? []).map((media) => [media, "audio"] as const),
  ];
  // One file given twice (a loop's start and end frame) is published once.
  const byUrl = new Map<string, ReturnType<typeof publishOne>>();
  const publishOnce = (media: MediaInput, kind: MediaKind) => {
    const pending = byUrl.get(media.url) ?? publishOne(context, media, kind, limits);
    byUrl.set(media.url, pending);
    return pending;
  };
  // Every download settles before anything is decided, so a failure leaves nothing published.
  const outcomes = await Promise.allSettled(
    inputs.map(([media, kind]) => publishOnce(media, kind)),
  );
  const published = new Set<PublishedMedia>();
  const replaced = new Map<MediaInput, MediaInput>();
  outcomes.forEach((outcome, index) => {
    if (outcome.status !== "fulfilled") return;
    if (outcome.value.published) published.add(outcome.value.published);
    const original = inputs[index]?.[0];
    if (original) replaced.set(original, outcome.value.media);
  });
  const release = async () => {
    await Promise.allSettled([...published].map((item) => item.release()));
  };
  const failure = outcomes.find((outcome) => outcome.status === "rejected");
  if (failure) {
    await release();
    throw failure.reason;
  }
  return {
    request: mapMediaInputs(request, (media) => replaced.get(media) ?? media),
    urls: [...published].map((item) => item.url),
    release,
  };
}

/**
 * Publishes again the Slack files behind inputs whose links expire before `before` (an old job
 * regenerated): Slack's private URL, kept as `sourceUrl`, does not expire. Other inputs are kept.
 */
export async function renewSlackInputs(
  context: SlackContext,
  request: GenerationRequest,
  before: number,
): Promise<GenerationRequest> {
  const expiring = mapMediaInputs(request, (media) =>
    expiresBefore(media, before) && media.sourceUrl ? { ...media, url: media.sourceUrl } : media,
  );
  // Only Slack's URLs are published; the inputs whose links still work pass through as they are.
  return (await publishSlackMedia(context, expiring)).request;
}
