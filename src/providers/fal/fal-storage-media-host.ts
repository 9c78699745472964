import { createReadStream } from "node:fs";
import { type Dispatcher, request } from "undici";
import { z } from "zod";
import { ProviderError } from "../../errors.ts";
import { createHttpAgent } from "../../http/http-agent.ts";
import { requestJson } from "../../http/request-json.ts";
import type { Logger } from "../../logger.ts";
import type { MediaHost, MediaSource, PublishedMedia } from "../../media/media-host.ts";
import { contentTypeOf, safeFileName, sourceSize } from "../../media/media-source-bytes.ts";
import { transportFailure } from "../provider-http.ts";
import { falLabel, falResponseError } from "./fal-errors.ts";

export const defaultFalStorageUrl = "https://rest.alpha.fal.ai";

/**
 * How long the bot counts on an uploaded file. fal calls CDN files persistent and publishes no
 * lifetime; a week (what fal's FAQ promises for outputs) is the figure the bot plans with.
 */
export const falFileLifetimeMs = 7 * 24 * 60 * 60_000;

/** `POST /storage/upload/initiate`: where to PUT the bytes, and the URL models read them from. */
const initiateSchema = z
  .object({
    upload_url: z.url({ protocol: /^https?$/ }),
    file_url: z.url({ protocol: /^https?$/ }),
  })
  .loose();

export interface FalStorageMediaHostOptions {
  /** FAL_KEY; sent to `storageUrl` only, never to the signed upload URL. */
  apiKey: string;
  /** FAL_STORAGE_URL; default https://rest.alpha.fal.ai. */
  storageUrl?: string;
  logger: Logger;
  /** An undici Agent; one is made when absent (trusting `storageUrl` and `trustedHosts`). */
  dispatcher?: Dispatcher;
  /** Hosts besides the storage API that may be on private addresses (tests' fakes). */
  trustedHosts?: readonly string[];
  now?: () => number;
}

export interface FalStorageMediaHost extends MediaHost {
  stop(): Promise<void>;
}

/**
 * MEDIA_HOST=provider with fal: each input goes to fal's own storage as fal's clients do it —
 * `POST {storage}/storage/upload/initiate?storage_type=fal-cdn-v3` with `{content_type,
 * file_name}` and the key, then the bytes `PUT` to the signed `upload_url` (streamed from disk,
 * without the key) — and fal reads it back from `file_url`. fal deletes nothing on request, so
 * `release()` does nothing.
 */
export function createFalStorageMediaHost(
  options: FalStorageMediaHostOptions,
): FalStorageMediaHost {
  const storageUrl = (options.storageUrl ?? defaultFalStorageUrl).replace(/\/+$/, "");
  const initiateUrl = `${storageUrl}/storage/upload/initiate?storage_type=fal-cdn-v3`;
  const now = options.now ?? Date.now;
  let ownDispatcher = options.dispatcher
    ? undefined
    : createHttpAgent({ trustedHosts: [storageUrl, ...(options.trustedHosts ?? [])] });
  const dispatcher = (options.dispatcher ?? ownDispatcher) as Dispatcher;

  async function initiate(source: MediaSource): Promise<z.infer<typeof initiateSchema>> {
    const response = await requestJson(
      {
        method: "POST",
        url: initiateUrl,
        headers: { authorization: `Key ${options.apiKey}` },
        json: { content_type: contentTypeOf(source), file_name: safeFileName(source.fileName) },
      },
      // Nothing is made or billed by an initiate: a lost answer is simply asked again.
      { dispatcher, retry: { maxAttempts: 3 } },
    ).catch((error: unknown) => {
      throw transportFailure(falLabel, error);
    });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw falResponseError(response, { now: now(), context: "fal.ai refused a file upload" });
    }
    const parsed = initiateSchema.safeParse(response.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
      throw new ProviderError({
        message: `fal.ai sent an unexpected answer to a file upload${where}`,
        provider: falLabel.name,
        retryable: false,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  async function put(uploadUrl: string, source: MediaSource): Promise<void> {
    const body = "bytes" in source ? Buffer.from(source.bytes) : createReadStream(source.path);
    try {
      const response = await request(uploadUrl, {
        method: "PUT",
        headers: {
          "content-type": contentTypeOf(source),
          "content-length": String(await sourceSize(source)),
        },
        body,
        dispatcher,
      });
      await response.body.dump();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw new ProviderError({
          message: `fal.ai's storage refused the file (HTTP ${response.statusCode}); the bot tries again.`,
          provider: falLabel.name,
          statusCode: response.statusCode,
        });
      }
    } catch (error) {
      if ("destroy" in body) body.destroy();
      throw transportFailure(falLabel, error);
    }
  }

  return {
    async publish(source): Promise<PublishedMedia> {
      const { upload_url, file_url } = await initiate(source);
      await put(upload_url, source);
      options.logger.debug({ provider: falLabel.name }, "input uploaded to fal.ai's storage");
      return {
        url: file_url,
        expiresAt: now() + falFileLifetimeMs,
        release: async () => undefined,
      };
    },

    resolveLocalPath: () => undefined,

    async stop(): Promise<void> {
      const closing = ownDispatcher?.close();
      ownDispatcher = undefined;
      await closing;
    },
  };
}
