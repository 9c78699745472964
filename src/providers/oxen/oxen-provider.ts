import type { Dispatcher } from "undici";
import { oxenCatalog } from "../../domain/model-catalog.ts";
import { createHttpAgent } from "../../http/http-agent.ts";
import { openWithScopedAuth } from "../../http/open-with-scoped-auth.ts";
import { headerValue } from "../../http/request-json.ts";
import type { Sleep } from "../../http/sleep.ts";
import type { Logger } from "../../logger.ts";
import type { GenerationProvider, ResultDownload } from "../generation-provider.ts";
import { resultLinkFailure } from "../provider-http.ts";
import { createOxenClient } from "./oxen-client.ts";
import { oxenProviderName, oxenResponseError } from "./oxen-errors.ts";
import { createOxenEventStream, type OxenEventStream } from "./oxen-event-stream.ts";
import { cancelOnOxen, fetchOxenCost, getOxenStatus, reconcileOnOxen } from "./oxen-jobs.ts";
import { loadModelDetails, type OxenModelDetails } from "./oxen-models.ts";
import { estimateOxenCost } from "./oxen-pricing.ts";
import { oxenIgnoredSettings } from "./oxen-request-body.ts";
import { findSubmittedOnOxen, submitToOxen } from "./oxen-submission.ts";

export interface OxenProviderOptions {
  apiKey: string;
  /** e.g. https://hub.oxen.ai (no trailing /api). */
  baseUrl: string;
  logger: Logger;
  /** No byte on the event stream for this long = reconnect. Default 45 000. */
  sseIdleTimeoutMs?: number;
  /**
   * Defaults to a private keep-alive Agent, closed by `stop()`, that reaches the hub and
   * `trustedHosts` on any address and everything else (result links, redirects) only on public ones.
   */
  dispatcher?: Dispatcher;
  /** Hosts besides the hub that may be on private addresses (OUTBOUND_ALLOWED_HOSTS). */
  trustedHosts?: readonly string[];
  /** Longest JSON answer read (PROVIDER_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Waits between retries of a request. The event stream's reconnect timers use the global
   *  setTimeout instead (fake timers control them), so a no-op here cannot make it spin. */
  sleep?: Sleep;
  /** Jitter source for every backoff; 0.5 means no jitter. */
  random?: () => number;
  /** Clock for Retry-After dates. */
  now?: () => number;
}

/** Longest `start()` waits for the event stream's first connection attempt. */
const startWaitMs = 5_000;

/** The Oxen.ai hub: async queue for jobs, one SSE stream for completions, models for prices. */
export function createOxenProvider(options: OxenProviderOptions): GenerationProvider {
  const { logger } = options;
  const ownDispatcher = options.dispatcher
    ? undefined
    : createHttpAgent({ trustedHosts: [options.baseUrl, ...(options.trustedHosts ?? [])] });
  const dispatcher = options.dispatcher ?? ownDispatcher;
  const now = options.now ?? Date.now;
  const client = createOxenClient({
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    dispatcher,
    maxResponseBytes: options.maxResponseBytes,
    retry: {
      now,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    },
  });
  const hub = new URL(client.baseUrl);
  const details = new Map<string, OxenModelDetails>();
  const lifetime = new AbortController();
  let stream: OxenEventStream | undefined;
  let models: Promise<void> | undefined;
  const schemaOf = (modelId: string) => details.get(modelId)?.requestSchema;

  const openResult = async (url: string): Promise<ResultDownload> => {
    let response: Awaited<ReturnType<typeof openWithScopedAuth>>;
    try {
      response = await openWithScopedAuth(url, {
        authorizationHost: hub.host,
        authorizationProtocol: hub.protocol === "http:" ? "http:" : "https:",
        authorization: `Bearer ${options.apiKey}`,
        maxRedirects: 5,
        dispatcher,
      });
    } catch (error) {
      throw resultLinkFailure({ name: oxenProviderName, label: "Oxen" }, error);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await readErrorBody(response.body);
      throw oxenResponseError(
        { statusCode: response.statusCode, headers: response.headers, body: text },
        { context: "Could not download the video", now: now() },
      );
    }
    const length = Number(headerValue(response.headers["content-length"]));
    const contentType = headerValue(response.headers["content-type"]);
    return {
      body: response.body,
      ...(Number.isSafeInteger(length) && length >= 0 ? { contentLength: length } : {}),
      ...(contentType ? { contentType } : {}),
    };
  };

  return {
    name: oxenProviderName,
    catalog: oxenCatalog,
    async start(listener) {
      if (stream) return;
      models = loadModelDetails({ client, catalog: oxenCatalog, logger, signal: lifetime.signal })
        .then((loaded) => {
          for (const [id, entry] of loaded) details.set(id, entry);
        })
        .catch((error: unknown) => logger.warn({ err: error }, "Oxen model details failed"));
      stream = createOxenEventStream({
        url: `${client.baseUrl}/api/events`,
        apiKey: options.apiKey,
        listener,
        logger,
        idleTimeoutMs: options.sseIdleTimeoutMs ?? 45_000,
        dispatcher,
        ...(options.random ? { random: options.random } : {}),
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        stream.start(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, startWaitMs);
        }),
      ]);
      clearTimeout(timer);
    },
    async stop() {
      if (lifetime.signal.aborted) return;
      lifetime.abort();
      await stream?.stop();
      await models;
      await ownDispatcher?.destroy();
    },
    isConnected: () => stream?.isConnected() ?? false,
    submit: (input) => submitToOxen(client, input, now, schemaOf(input.model.id)),
    findSubmitted: (input, claimedIds) =>
      findSubmittedOnOxen(client, input, claimedIds, schemaOf(input.model.id)),
    reconcile: (pending) => reconcileOnOxen(client, pending, logger),
    getStatus: (providerJobId) => getOxenStatus(client, providerJobId),
    cancel: (providerJobId) => cancelOnOxen(client, providerJobId),
    fetchCost: (providerJobId) => fetchOxenCost(client, providerJobId, logger),
    openResult,
    estimateCost: (request, model) => estimateOxenCost(request, model, details.get(model.id)),
    ignoredSettings: (request, model) => oxenIgnoredSettings(request, schemaOf(model.id)),
  };
}

/** Reads at most a few KB of an error body (it may be a huge file) and releases the socket. */
async function readErrorBody(body: AsyncIterable<unknown> & { destroy(): void }): Promise<unknown> {
  let text = "";
  try {
    for await (const chunk of body) {
      text += String(chunk);
      if (text.length > 4096) break;
    }
  } catch {
    // The reason is the status code; a broken error body adds nothing.
  } finally {
    body.destroy();
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
