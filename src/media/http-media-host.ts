import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { BlobStore } from "../blobs/blob-store.ts";
import { createFileBlobStore } from "../blobs/file-blob-store.ts";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { HttpServer } from "../server/http-server.ts";
import {
  type MediaHost,
  type MediaSource,
  maxMediaTtlMs,
  type PublishedMedia,
} from "./media-host.ts";
import { sendBlob } from "./send-blob.ts";
import { hasValidSignature, readSignedParts, signMedia } from "./signed-url.ts";

export interface HttpMediaHostOptions {
  server: HttpServer;
  /** Owned by the host: `DATA_DIR/media`, where the files are kept unless `blobs` is given. */
  directory?: string;
  /** Where the files are kept instead (PostgreSQL with DATABASE_URL, so any instance serves them). */
  blobs?: BlobStore;
  /** HMAC key for the URLs (MEDIA_SIGNING_SECRET); at least 32 characters. */
  secret: string;
  /** Where the provider reaches this server, e.g. https://bot.example.com (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  logger: Logger;
  /** How often expired files are deleted. Default one minute. */
  sweepIntervalMs?: number;
  now?: () => number;
}

export interface HttpMediaHost extends MediaHost {
  /** Removes what expired while the bot was down, then sweeps on a timer. */
  start(): Promise<void>;
  stop(): void;
  /** Deletes expired files now; returns how many went. */
  sweep(): Promise<number>;
}

const routePrefix = "/media/";
const minimumSecretLength = 32;

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  });
  response.end(text);
}

/** ASCII fallback plus the UTF-8 name, so a file name can never break out of the header. */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_") || "file";
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Serves each published input from the bot's own HTTP server under an unguessable, HMAC-signed,
 * expiring URL: `/media/<id>?expires=<unix seconds>&signature=<hex>`.
 */
export function createHttpMediaHost(options: HttpMediaHostOptions): HttpMediaHost {
  if (options.secret.length < minimumSecretLength) {
    throw new ConfigError(
      `MEDIA_SIGNING_SECRET must be at least ${minimumSecretLength} characters (got ${options.secret.length}).`,
    );
  }
  const { secret, logger } = options;
  const now = options.now ?? Date.now;
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, "");
  // A reverse proxy may mount the bot under a path (https://example.com/bot/media/…).
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, "");
  const blobs = mediaBlobs(options, now);
  let timer: NodeJS.Timeout | undefined;

  /** The id of a URL whose signature is ours and whose time has not run out. */
  function verify(pathname: string, search: URLSearchParams): "forbidden" | "expired" | string {
    if (!pathname.startsWith(routePrefix)) return "forbidden";
    const parts = readSignedParts(pathname.slice(routePrefix.length), search);
    if (!parts || !hasValidSignature(secret, parts)) return "forbidden";
    return parts.expires * 1000 <= now() ? "expired" : parts.id;
  }

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const id = url.pathname.slice(routePrefix.length);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) return sendText(response, 404, "Not found");
    const verdict = verify(url.pathname, url.searchParams);
    if (verdict === "forbidden") return sendText(response, 403, "Forbidden");
    if (verdict === "expired") return sendText(response, 410, "This link has expired");
    const stored = await blobs.stat(verdict);
    if (!stored) return sendText(response, 404, "Not found");
    const maxAge = Math.max(0, Math.floor((stored.expiresAt - now()) / 1000));
    await sendBlob(request, response, {
      store: blobs,
      key: verdict,
      contentType: stored.contentType,
      headers: {
        "cache-control": `private, max-age=${maxAge}`,
        "content-disposition": contentDisposition(stored.fileName),
        "content-security-policy": "default-src 'none'; sandbox",
      },
    });
  }

  options.server.route("GET", routePrefix, serve);
  options.server.route("HEAD", routePrefix, serve);

  async function sweep(): Promise<number> {
    const removed = await blobs.sweep();
    if (removed > 0) logger.debug({ removed }, "expired media deleted");
    return removed;
  }

  return {
    async publish(source: MediaSource, { ttlMs }): Promise<PublishedMedia> {
      if (!(Number.isInteger(ttlMs) && ttlMs > 0 && ttlMs <= maxMediaTtlMs)) {
        throw new RangeError(`ttlMs ${ttlMs} must be a whole number from 1 to ${maxMediaTtlMs}.`);
      }
      const id = randomBytes(18).toString("base64url");
      const expires = Math.floor((now() + ttlMs) / 1000);
      const expiresAt = expires * 1000;
      const body =
        "bytes" in source
          ? Readable.from([Buffer.from(source.bytes)])
          : createReadStream(source.path);
      await blobs.put(id, body, {
        contentType: source.contentType,
        fileName: source.fileName,
        expiresAt,
      });
      const signature = signMedia(secret, id, expires);
      return {
        url: `${baseUrl}${routePrefix}${id}?expires=${expires}&signature=${signature}`,
        expiresAt,
        release: () => blobs.remove(id),
      };
    },

    resolveLocalPath(url: string): string | undefined {
      let parsed: URL;
      try {
        parsed = new URL(url, baseUrl);
      } catch {
        return undefined;
      }
      const pathname = parsed.pathname.startsWith(`${basePath}${routePrefix}`)
        ? parsed.pathname.slice(basePath.length)
        : parsed.pathname;
      const verdict = verify(pathname, parsed.searchParams);
      if (verdict === "forbidden" || verdict === "expired") return undefined;
      return blobs.localPath?.(verdict);
    },

    async start(): Promise<void> {
      await sweep();
      timer ??= setInterval(() => {
        sweep().catch((error: unknown) => logger.warn({ err: error }, "media sweep failed"));
      }, options.sweepIntervalMs ?? 60_000);
      timer.unref();
    },

    stop(): void {
      clearInterval(timer);
      timer = undefined;
    },

    sweep,
  };
}

function mediaBlobs(options: HttpMediaHostOptions, now: () => number): BlobStore {
  if (options.blobs) return options.blobs;
  if (!options.directory)
    throw new ConfigError("The media host needs a directory or a blob store.");
  return createFileBlobStore({ directory: options.directory, orphanAgeMs: maxMediaTtlMs, now });
}
