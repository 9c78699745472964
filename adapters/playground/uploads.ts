import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { fileTypeFromBuffer } from "file-type";
import { checkScannedImageIsWhole } from "../../commands/image-integrity.ts";
import type { IncomingMedia } from "../../commands/index.ts";
import { UserFacingError } from "../../src/errors.ts";
import type { MediaHost } from "../../src/media/index.ts";
import { linkExpiry, maxMediaTtlMs } from "../../src/media/index.ts";
import { sendJson } from "../../src/server/http-server.ts";
import { loopbackHosts } from "./access.ts";
import { attachmentView } from "./card-view.ts";
import type { AttachmentView } from "./entries.ts";
import { createUploadLedger, defaultUploadLimits } from "./upload-limits.ts";
import { removeQuietly, streamToTemporaryFile } from "./upload-stream.ts";

/** What the models take, recognised from the bytes (never from the name or declared type). */
const acceptedTypes = new Set([
  "image/jpeg",
  "image/png",
  "image/webp",
  "video/mp4",
  "video/quicktime",
  "audio/mpeg",
  "audio/wav",
]);
export const acceptedTypesText = "JPEG, PNG or WebP images, MP4 or MOV videos, MP3 or WAV audio";

/** The bounds on what uploads may hold (PLAYGROUND_UPLOAD_* variables). */
export interface UploadLimits {
  maxBytes: number;
  concurrentPerUser: number;
  concurrentTotal: number;
  quotaBytes: number;
}

/** Why a real provider could not fetch uploads served under `baseUrl`, if it could not. */
export function unreachableReason(baseUrl: string): string | undefined {
  if (!loopbackHosts.has(new URL(baseUrl).hostname)) return undefined;
  return `The provider cannot fetch files from ${baseUrl}; set PUBLIC_BASE_URL to an address it can reach (a tunnel or your server) to attach images, video or audio.`;
}

interface Upload {
  media: IncomingMedia;
  view: AttachmentView;
  expiresAt: number;
}

function fileNameFrom(request: IncomingMessage): string {
  let name = String(request.headers["x-file-name"] ?? "");
  try {
    name = decodeURIComponent(name);
  } catch {
    // Keep the raw header.
  }
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.replace(/\p{Cc}/gu, "").slice(0, 120) || "upload";
}

/** `/api/uploads`: checks one file, hands it to the media host, and remembers it by id. */
export function createUploads(options: {
  mediaHost: MediaHost;
  /**
   * Where the provider fetches uploads from when MEDIA_HOST picks something other than the bot's
   * own server (fal's storage, AIHubMax/EvoLink's upload, an Oxen repo…). The bot's copy in
   * `mediaHost` stays, for the page's previews.
   */
  providerHost?: MediaHost | undefined;
  previewUrl: (url: string) => string;
  now: () => number;
  /** Set when the provider could not fetch what the media host serves (a paid job would fail). */
  unreachableReason?: string | undefined;
  limits?: Partial<UploadLimits> | undefined;
  /** Who is uploading, for the per-visitor cap. */
  visitorOf?: (request: IncomingMessage) => string;
}) {
  const uploads = new Map<string, Upload>();
  /** The provider's URL of an upload → the bot's own copy, for previews. */
  const localCopies = new Map<string, string>();
  const limits = { ...defaultUploadLimits, ...options.limits };
  const ledger = createUploadLedger(limits, options.now);
  const visitorOf = options.visitorOf ?? ((request) => request.socket.remoteAddress ?? "");

  function prune(): void {
    for (const [id, upload] of uploads) {
      if (upload.expiresAt > options.now()) continue;
      uploads.delete(id);
      localCopies.delete(upload.media.url);
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (options.unreachableReason && !options.providerHost) {
      request.resume();
      throw new UserFacingError(options.unreachableReason, { field: "attachments" });
    }
    const fileName = fileNameFrom(request);
    const declared = Number(request.headers["content-length"] ?? Number.NaN);
    const reserve = declared >= 0 && declared <= limits.maxBytes ? declared : limits.maxBytes;
    const done = await ledger.admit(visitorOf(request), reserve);
    let published: Awaited<ReturnType<MediaHost["publish"]>>;
    let local: Awaited<ReturnType<MediaHost["publish"]>> | undefined;
    let sizeBytes: number;
    let mime: string;
    try {
      const streamed = await streamToTemporaryFile(request, limits.maxBytes);
      try {
        sizeBytes = streamed.sizeBytes;
        const type = await fileTypeFromBuffer(streamed.head);
        if (!type || !acceptedTypes.has(type.mime)) {
          throw new UserFacingError(
            `${fileName} is ${type?.mime ?? "not a type the models read"}; attach ${acceptedTypesText}.`,
            { field: "attachments", code: "MEDIA_REJECTED" },
          );
        }
        mime = type.mime;
        checkScannedImageIsWhole(streamed.scanner, mime, fileName);
        const source = { path: streamed.path, contentType: mime, fileName };
        published = await options.mediaHost.publish(source, { ttlMs: maxMediaTtlMs });
        if (options.providerHost) {
          local = published;
          published = await options.providerHost
            .publish(source, { ttlMs: maxMediaTtlMs })
            .catch(async (error: unknown) => {
              await local?.release();
              throw error;
            });
        }
      } finally {
        await removeQuietly(streamed.path);
      }
    } finally {
      done();
    }
    const expiresAt = Math.min(published.expiresAt, local?.expiresAt ?? Number.POSITIVE_INFINITY);
    const providerCopy = published;
    const release = local
      ? async () => {
          await Promise.all([providerCopy.release(), local?.release()]);
        }
      : published.release;
    ledger.keep({ sizeBytes, expiresAt, release });
    const media: IncomingMedia = {
      url: published.url,
      contentType: mime,
      sizeBytes,
      fileName,
      ...linkExpiry(published),
    };
    const id = randomBytes(12).toString("base64url");
    if (local) localCopies.set(published.url, local.url);
    const view = attachmentView(media, options.previewUrl(published.url));
    prune();
    uploads.set(id, { media, view, expiresAt });
    sendJson(response, 201, { attachment: { id, sizeBytes, ...view } });
  }

  /** The uploads a message names, in its order; an unknown or expired id is refused. */
  function take(ids: readonly string[]): { media: IncomingMedia[]; views: AttachmentView[] } {
    const found = ids.map((id) => {
      const upload = uploads.get(id);
      if (!upload || upload.expiresAt <= options.now()) {
        throw new UserFacingError("An attachment has expired or is unknown; attach it again.", {
          field: "attachments",
        });
      }
      return upload;
    });
    return {
      media: found.map((upload) => upload.media),
      views: found.map((upload) => upload.view),
    };
  }

  /** The bot's own copy of an upload the provider reads elsewhere, for the page's previews. */
  function localCopyOf(url: string): string | undefined {
    return localCopies.get(url);
  }

  return { handle, take, localCopyOf };
}
