import { randomUUID } from "node:crypto";
import type { Dispatcher } from "undici";
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { createHttpAgent } from "../http/http-agent.ts";
import type { Logger } from "../logger.ts";
import { oxenResponseError } from "../providers/oxen/oxen-errors.ts";
import { transportFailure } from "../providers/provider-http.ts";
import { type MediaHost, maxMediaTtlMs, type PublishedMedia } from "./media-host.ts";
import { safeFileName } from "./media-source-bytes.ts";
import { type FormResponse, type FormRetry, requestForm } from "./multipart-request.ts";
import { oxenCommitForm, oxenFileForm } from "./oxen-repo-forms.ts";
import { RemoteCopyLedger } from "./remote-copy-ledger.ts";

export interface OxenRepoMediaHostOptions {
  apiKey: string;
  /** OXEN_BASE_URL; the only host the key is sent to. */
  baseUrl: string;
  /** OXEN_MEDIA_REPO: `namespace/name` of a public repository. */
  repo: string;
  /** OXEN_MEDIA_BRANCH; default `main`. */
  branch?: string;
  /** Where the record of uploaded copies lives (`DATA_DIR/media-oxen`), so a restart still deletes them. */
  directory: string;
  logger: Logger;
  /** An undici Agent (from this package's undici); one is made when absent. */
  dispatcher?: Dispatcher;
  /** How often expired copies are deleted. Default one minute. */
  sweepIntervalMs?: number;
  /** Commit author; default `seedance-bot`. */
  author?: { name: string; email: string };
  retry?: FormRetry;
  now?: () => number;
}

export interface OxenRepoMediaHost extends MediaHost {
  /** Deletes what expired while the bot was down, then sweeps on a timer. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Deletes expired copies now; returns how many went. */
  sweep(): Promise<number>;
}

const repoPattern = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
const folder = "seedance-bot";
const provider = { name: "oxen", label: "Oxen" };

/** Any JSON object: the docs and the server disagree on the shape, and only success matters. */
const uploadAnswerSchema = z
  .object({ commit: z.object({ id: z.string().nullish() }).loose().nullish() })
  .loose();

/**
 * Publishes each input as a file in an Oxen repository: `PUT /api/repos/{ns}/{repo}/file/{branch}/
 * seedance-bot/{random uuid}/{name}` (one commit), handing the provider the file's hub URL.
 *
 * The repository must be public: the provider fetches the URL without credentials, and whether
 * Oxen's own models can read a private repo is not documented. Paths carry a random UUID, so a URL
 * cannot be guessed, and each file is deleted by `release()` or by the sweep once `expiresAt`
 * passes (≤ 1 h; also after a restart). But a public repository can be browsed, and a delete is a
 * commit: the bytes stay readable in the repository's history. Use a dedicated repository, and
 * only for inputs that may become public.
 */
export function createOxenRepoMediaHost(options: OxenRepoMediaHostOptions): OxenRepoMediaHost {
  const match = repoPattern.exec(options.repo);
  if (!match) throw new RangeError(`OXEN_MEDIA_REPO must be namespace/name (got ${options.repo}).`);
  const branch = options.branch ?? "main";
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const repoUrl = `${baseUrl}/api/repos/${match[1]}/${match[2]}/file/${encodeURIComponent(branch)}`;
  const { logger } = options;
  const now = options.now ?? Date.now;
  let ownDispatcher = options.dispatcher ? undefined : createHttpAgent({ trustedHosts: [baseUrl] });
  const dispatcher = (options.dispatcher ?? ownDispatcher) as Dispatcher;
  const headers = { authorization: `Bearer ${options.apiKey}` };
  const author = options.author ?? { name: "seedance-bot", email: "seedance-bot@users.noreply" };
  const ledger = new RemoteCopyLedger(options.directory);
  let timer: NodeJS.Timeout | undefined;

  const urlOf = (path: string) => `${repoUrl}/${path.split("/").map(encodeURIComponent).join("/")}`;

  async function send(
    method: "PUT" | "DELETE",
    path: string,
    form: Parameters<typeof requestForm>[0]["form"],
  ) {
    try {
      return await requestForm(
        { method, url: urlOf(path), headers, form },
        dispatcher,
        options.retry,
      );
    } catch (error) {
      throw transportFailure(provider, error);
    }
  }

  function refused(response: FormResponse, what: string): ProviderError {
    const where = `${options.repo} (branch ${branch})`;
    const context =
      response.statusCode === 404
        ? `Oxen has no repository or branch ${where} to ${what}; create it as a public repository or fix OXEN_MEDIA_REPO / OXEN_MEDIA_BRANCH`
        : response.statusCode === 401 || response.statusCode === 403
          ? `Oxen refused OXEN_API_KEY to ${what} in ${where}`
          : `Oxen could not ${what} in ${where}`;
    return oxenResponseError(response, { context, now: now() });
  }

  /** Deletes one copy; a copy already gone counts as deleted. */
  async function remove(id: string, path: string): Promise<void> {
    const response = await send("DELETE", path, () =>
      oxenCommitForm(`seedance-bot: remove ${path}`, author),
    );
    if (response.statusCode !== 404 && (response.statusCode < 200 || response.statusCode >= 300)) {
      throw refused(response, "delete a published file");
    }
    await ledger.remove(id);
  }

  async function sweep(): Promise<number> {
    let removed = 0;
    for (const { id, copy } of await ledger.expired(now())) {
      try {
        await remove(id, copy.path);
        removed += 1;
      } catch (error) {
        logger.warn({ err: error }, "could not delete an expired file from OXEN_MEDIA_REPO");
      }
    }
    if (removed > 0) logger.debug({ removed }, "expired media deleted from the Oxen repository");
    return removed;
  }

  return {
    async publish(source, { ttlMs }): Promise<PublishedMedia> {
      if (!(Number.isInteger(ttlMs) && ttlMs > 0 && ttlMs <= maxMediaTtlMs)) {
        throw new RangeError(`ttlMs ${ttlMs} must be a whole number from 1 to ${maxMediaTtlMs}.`);
      }
      const id = randomUUID();
      const path = `${folder}/${id}/${safeFileName(source.fileName)}`;
      const expiresAt = now() + ttlMs;
      // Recorded first: whatever the upload does, the sweep can delete the copy.
      await ledger.add(id, { path, expiresAt });
      const response = await send("PUT", path, () =>
        oxenFileForm(source, `seedance-bot: input ${id}`, author),
      );
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw refused(response, "store a file");
      }
      const answer = uploadAnswerSchema.safeParse(response.body);
      if (!answer.success) {
        throw new ProviderError({
          message: `Oxen sent an unexpected answer to the upload into ${options.repo}`,
          provider: provider.name,
          statusCode: response.statusCode,
          retryable: false,
          cause: answer.error,
        });
      }
      logger.debug(
        { commit: answer.data.commit?.id, id },
        "input published to the Oxen repository",
      );
      let released: Promise<void> | undefined;
      return {
        url: urlOf(path),
        expiresAt,
        release: () => {
          released ??= remove(id, path).catch((error: unknown) => {
            released = undefined;
            throw error;
          });
          return released;
        },
      };
    },

    resolveLocalPath: () => undefined,

    async start(): Promise<void> {
      await sweep();
      timer ??= setInterval(() => {
        void sweep();
      }, options.sweepIntervalMs ?? 60_000);
      timer.unref();
    },

    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      const closing = ownDispatcher?.close();
      ownDispatcher = undefined;
      await closing;
    },

    sweep,
  };
}
