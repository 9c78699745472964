import { UserFacingError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { MediaHost, PublishedMedia } from "./media-host.ts";
import { contentTypeOf, sourceBytes, sourceSize } from "./media-source-bytes.ts";

export interface DataUriMediaHostOptions {
  /** Largest file inlined; default 12 MiB (what a production Oxen client inlines). */
  maxBytes?: number;
  logger: Logger;
  now?: () => number;
}

export const defaultDataUriMaxBytes = 12 * 1024 ** 2;

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;

/**
 * EXPERIMENTAL, a last resort: hands the provider the file itself as `data:<type>;base64,…`.
 * Nothing is hosted, so nothing expires or needs releasing, but the Seedance schemas only promise
 * to take URLs (whether they accept data URIs is unverified), the request grows by a third of the
 * file, and the job store and the provider's status answers carry the whole file.
 */
export function createDataUriMediaHost(options: DataUriMediaHostOptions): MediaHost {
  const maxBytes = options.maxBytes ?? defaultDataUriMaxBytes;
  const now = options.now ?? Date.now;
  let warned = false;

  return {
    async publish(source, { ttlMs }): Promise<PublishedMedia> {
      if (!warned) {
        warned = true;
        options.logger.warn(
          "MEDIA_HOST=data-uri is experimental: providers may refuse data URIs; prefer PUBLIC_BASE_URL or OXEN_MEDIA_REPO",
        );
      }
      const size = await sourceSize(source);
      if (size > maxBytes) {
        throw new UserFacingError(
          `${source.fileName} is ${megabytes(size)}, too big to pass to the video provider inline (the limit is ${megabytes(maxBytes)}). Send a smaller file, or ask the bot's admin to set PUBLIC_BASE_URL or OXEN_MEDIA_REPO (MEDIA_HOST=server or oxen-repo) so files are shared by link instead.`,
          { field: "attachments", code: "MEDIA_REJECTED" },
        );
      }
      const bytes = await sourceBytes(source);
      return {
        url: `data:${contentTypeOf(source)};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64")}`,
        expiresAt: now() + ttlMs,
        release: async () => undefined,
      };
    },

    resolveLocalPath: () => undefined,
  };
}
