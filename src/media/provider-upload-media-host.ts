import { type Dispatcher, FormData } from "undici";
import type { z } from "zod";
import { ProviderError } from "../errors.ts";
import { createHttpAgent } from "../http/http-agent.ts";
import { headerValue } from "../http/request-json.ts";
import type { Logger } from "../logger.ts";
import { transportFailure } from "../providers/provider-http.ts";
import {
  type UnifiedTaskDialectName,
  unifiedTaskDialects,
} from "../providers/unified-task/unified-task-dialects.ts";
import { errorParts, httpErrorMessage } from "../providers/unified-task/unified-task-errors.ts";
import { parseRetryAfter } from "../util/backoff.ts";
import type { MediaHost, MediaSource, PublishedMedia } from "./media-host.ts";
import { safeFileName, sourceBlob } from "./media-source-bytes.ts";
import { type FormResponse, type FormRetry, requestForm } from "./multipart-request.ts";
import {
  aihubmaxUploadSchema,
  evolinkRefusalSchema,
  evolinkUploadSchema,
  providerFileLifetimeMs,
} from "./provider-upload-schemas.ts";

export interface ProviderUploadMediaHostOptions {
  provider: UnifiedTaskDialectName;
  /** The provider's own key (AIHUBMAX_API_KEY / EVOLINK_API_KEY); sent to `uploadBaseUrl` only. */
  apiKey: string;
  /**
   * Where uploads go. AIHubMax: its API root (AIHUBMAX_BASE_URL). EvoLink: its separate files API,
   * default `https://files-api.evolink.ai` (EVOLINK_FILES_BASE_URL).
   */
  uploadBaseUrl?: string;
  logger: Logger;
  /** An undici Agent (from this package's undici); one is made when absent. */
  dispatcher?: Dispatcher;
  retry?: FormRetry;
  now?: () => number;
}

export interface ProviderUploadMediaHost extends MediaHost {
  stop(): Promise<void>;
}

const endpoints = {
  aihubmax: { defaultBaseUrl: "https://api.aihubmax.com", path: "/v1/files/upload/stream" },
  evolink: { defaultBaseUrl: "https://files-api.evolink.ai", path: "/api/v1/files/upload/stream" },
} as const;

/**
 * Publishes each input through the provider's own file upload (`…/files/upload/stream`, multipart
 * `file`), handing the provider the URL it answers. The provider keeps each file 72 hours and
 * deletes it itself, so `release()` does nothing; `ttlMs` cannot shorten that. EvoLink counts
 * files against a quota (100 by default) until they expire.
 */
export function createProviderUploadMediaHost(
  options: ProviderUploadMediaHostOptions,
): ProviderUploadMediaHost {
  const dialect = unifiedTaskDialects[options.provider];
  const endpoint = endpoints[options.provider];
  const uploadUrl = `${(options.uploadBaseUrl ?? endpoint.defaultBaseUrl).replace(/\/+$/, "")}${endpoint.path}`;
  const now = options.now ?? Date.now;
  let ownDispatcher = options.dispatcher
    ? undefined
    : createHttpAgent({ trustedHosts: [uploadUrl] });
  const dispatcher = (options.dispatcher ?? ownDispatcher) as Dispatcher;

  async function upload(source: MediaSource): Promise<FormResponse> {
    const form = async () => {
      const body = new FormData();
      body.append("file", await sourceBlob(source), safeFileName(source.fileName));
      return body;
    };
    const headers = { authorization: `Bearer ${options.apiKey}` };
    try {
      return await requestForm({ method: "POST", url: uploadUrl, headers, form }, dispatcher, {
        ...options.retry,
      });
    } catch (error) {
      throw transportFailure(dialect, error);
    }
  }

  function refused(response: FormResponse): ProviderError {
    const parts = errorParts(response.body);
    const refusal = evolinkRefusalSchema.safeParse(response.body);
    const text = parts.text ?? (refusal.success ? (refusal.data.msg ?? undefined) : undefined);
    const retryAfterMs = parseRetryAfter(headerValue(response.headers["retry-after"]), now());
    return new ProviderError({
      message: `${dialect.label} refused a file upload: ${httpErrorMessage(dialect, response.statusCode, { ...parts, ...(text ? { text } : {}) })}`,
      provider: dialect.name,
      statusCode: response.statusCode,
      ...(parts.code ? { providerCode: parts.code } : {}),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  function unexpected(error: z.ZodError): ProviderError {
    const issue = error.issues[0];
    const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
    return new ProviderError({
      message: `${dialect.label} sent an unexpected answer to a file upload${where}`,
      provider: dialect.name,
      retryable: false,
      cause: error,
    });
  }

  /** The URL and its expiry from a 2xx answer, in either dialect. */
  function readAnswer(body: unknown): { url: string; expiresAt: number } {
    if (options.provider === "evolink") {
      const refusal = evolinkRefusalSchema.safeParse(body);
      if (refusal.success) {
        const code = Number(refusal.data.code);
        const statusCode = code >= 400 && code < 600 ? code : 502;
        throw refused({ statusCode, headers: {}, body });
      }
      const answer = evolinkUploadSchema.safeParse(body);
      if (!answer.success) throw unexpected(answer.error);
      const expires = Date.parse(answer.data.data.expires_at ?? "");
      return {
        url: answer.data.data.file_url,
        expiresAt: Number.isNaN(expires) ? now() + providerFileLifetimeMs : expires,
      };
    }
    const answer = aihubmaxUploadSchema.safeParse(body);
    if (!answer.success) throw unexpected(answer.error);
    const created = answer.data.created;
    const createdMs = created ? (created > 1e12 ? created : created * 1000) : now();
    return { url: answer.data.url, expiresAt: createdMs + providerFileLifetimeMs };
  }

  return {
    async publish(source): Promise<PublishedMedia> {
      const response = await upload(source);
      if (response.statusCode < 200 || response.statusCode >= 300) throw refused(response);
      const { url, expiresAt } = readAnswer(response.body);
      options.logger.debug(
        { provider: dialect.name },
        "input uploaded to the provider's file storage",
      );
      // The provider deletes the file after 72 h; there is nothing to release.
      return { url, expiresAt, release: async () => undefined };
    },

    resolveLocalPath: () => undefined,

    async stop(): Promise<void> {
      const closing = ownDispatcher?.close();
      ownDispatcher = undefined;
      await closing;
    },
  };
}
