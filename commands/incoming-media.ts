import { z } from "zod";
import type { MediaInput } from "../src/domain/generation-request.ts";
import { UserFacingError } from "../src/errors.ts";

/** A file a user attached on any platform, described by metadata only (nothing is downloaded). */
export const incomingMediaSchema = z.object({
  url: z.string().min(1),
  contentType: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  fileName: z.string().optional(),
  durationSeconds: z.number().nonnegative().optional(),
  /** When the URL stops working (epoch milliseconds), when the platform says. */
  expiresAt: z.number().int().positive().optional(),
});
export type IncomingMedia = z.infer<typeof incomingMediaSchema>;

export type MediaKind = "image" | "video" | "audio";

const typesByExtension: Readonly<Record<string, string>> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  ogg: "audio/ogg",
};

/** The media type from metadata: the declared type without parameters, else from the extension. */
export function contentTypeOf(media: IncomingMedia): string | undefined {
  const declared = media.contentType?.split(";")[0]?.trim().toLowerCase();
  if (declared) return declared;
  const extension = (media.fileName ?? media.url.split("?")[0] ?? "")
    .split(".")
    .pop()
    ?.toLowerCase();
  return extension ? typesByExtension[extension] : undefined;
}

export function mediaKindOf(media: IncomingMedia): MediaKind | undefined {
  const type = contentTypeOf(media);
  if (type?.startsWith("image/")) return "image";
  if (type?.startsWith("video/")) return "video";
  if (type?.startsWith("audio/")) return "audio";
  return undefined;
}

export function describeMedia(media: IncomingMedia): string {
  return media.fileName ?? media.url.split("?")[0]?.split("/").pop() ?? "attachment";
}

/** What the provider receives; type and size travel along so limits are checked before sending. */
export function toMediaInput(media: IncomingMedia, hasFace?: boolean): MediaInput {
  const contentType = contentTypeOf(media);
  return {
    url: media.url,
    ...(contentType === undefined ? {} : { contentType }),
    ...(media.sizeBytes === undefined ? {} : { sizeBytes: media.sizeBytes }),
    ...(media.fileName === undefined ? {} : { fileName: media.fileName }),
    ...(media.durationSeconds === undefined ? {} : { durationSeconds: media.durationSeconds }),
    ...(media.expiresAt === undefined ? {} : { expiresAt: media.expiresAt }),
    ...(hasFace ? { hasFace: true } : {}),
  };
}

export interface SortedMedia {
  images: IncomingMedia[];
  videos: IncomingMedia[];
  audios: IncomingMedia[];
}

/** Splits attachments by kind, keeping upload order; anything else is refused by name. */
export function sortMedia(media: readonly IncomingMedia[]): SortedMedia {
  const sorted: SortedMedia = { images: [], videos: [], audios: [] };
  for (const item of media) {
    const kind = mediaKindOf(item);
    if (kind === undefined) {
      const type = contentTypeOf(item) ?? "an unknown type";
      throw new UserFacingError(
        `Attachment ${describeMedia(item)} is ${type}; attach images (JPEG, PNG, WebP), videos (MP4, MOV) or audio (MP3, WAV).`,
        { field: "attachments" },
      );
    }
    sorted[`${kind}s`].push(item);
  }
  return sorted;
}
