import type { Dispatcher } from "undici";
import { createHttpAgent } from "../../http/http-agent.ts";
import type { Sleep } from "../../http/sleep.ts";
import type { Logger } from "../../logger.ts";
import type { GenerationProvider, ProviderUpdate } from "../generation-provider.ts";
import {
  type CallbackOutcome,
  type CallbackRoute,
  callbackRoutePath,
  callbackSecret,
  callbackTaskId,
  createCallbackRoute,
} from "./unified-task-callback.ts";
import { createUnifiedTaskClient } from "./unified-task-client.ts";
import { type UnifiedTaskDialectName, unifiedTaskDialects } from "./unified-task-dialects.ts";
import type { PollTiming } from "./unified-task-poll-timing.ts";
import { TaskPoller } from "./unified-task-poller.ts";
import { openResultLink } from "./unified-task-result.ts";
import { createTask } from "./unified-task-submission.ts";
import { lostTaskUpdate, readTask } from "./unified-task-updates.ts";

export interface UnifiedTaskProviderOptions {
  dialect: UnifiedTaskDialectName;
  apiKey: string;
  /** The API root, e.g. https://api.aihubmax.com (not …/v1). Defaults to the dialect's. */
  baseUrl?: string;
  logger: Logger;
  /**
   * The bot's public base URL (PUBLIC_BASE_URL). When set, every create carries
   * `callback_url = <it>/provider-callbacks/<dialect>/<secret>`, and `callbackRoute` must be
   * mounted on the bot's HTTP server. Polling stays the source of truth either way.
   */
  callbackBaseUrl?: string;
  /** Poll intervals; defaults suit Seedance's minutes-long tasks. */
  pollTiming?: Partial<PollTiming>;
  /**
   * Defaults to a private keep-alive Agent, closed by `stop()`, that reaches the API and
   * `trustedHosts` on any address and everything else (result links on the CDN, redirects) only
   * on public ones.
   */
  dispatcher?: Dispatcher;
  /** Hosts besides the API that may be on private addresses (OUTBOUND_ALLOWED_HOSTS). */
  trustedHosts?: readonly string[];
  /** Longest JSON answer read (PROVIDER_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Waits between retries of a read (the poller's own timer uses the global setTimeout). */
  sleep?: Sleep;
  /** Jitter source for every backoff; 0.5 means no jitter. */
  random?: () => number;
  now?: () => number;
}

/** The port, plus what only this provider has: callbacks. */
export interface UnifiedTaskProvider extends GenerationProvider {
  /** Mount this (POST, prefix match) when `callbackBaseUrl` was given; undefined otherwise. */
  readonly callbackRoute: CallbackRoute | undefined;
  /**
   * A callback body. Only its task id is used: the task is read again from the API before anything
   * is believed (callbacks are unsigned). Returns at once; the read runs in the background.
   */
  handleCallback(body: unknown): CallbackOutcome;
  /** Resolves once no task read is under way. */
  idle(): Promise<void>;
}

/**
 * AIHubMax or EvoLink: the "unified task" API (`POST /v1/videos/generations`,
 * `GET /v1/tasks/{id}`). No push channel exists, so one multiplexed poller stands in for it;
 * callbacks, when enabled, only make it read a task sooner.
 */
export function createUnifiedTaskProvider(
  options: UnifiedTaskProviderOptions,
): UnifiedTaskProvider {
  const dialect = unifiedTaskDialects[options.dialect];
  const { logger } = options;
  const baseUrl = options.baseUrl ?? dialect.defaultBaseUrl;
  const ownDispatcher = options.dispatcher
    ? undefined
    : createHttpAgent({ trustedHosts: [baseUrl, ...(options.trustedHosts ?? [])] });
  const dispatcher = options.dispatcher ?? ownDispatcher;
  // Read at call time, so fake clocks in tests (and the poller's timer) agree.
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const client = createUnifiedTaskClient({
    dialect,
    apiKey: options.apiKey,
    baseUrl,
    dispatcher,
    maxResponseBytes: options.maxResponseBytes,
    retry: { now, random, ...(options.sleep ? { sleep: options.sleep } : {}) },
  });
  const api = new URL(client.baseUrl);
  const poller = new TaskPoller({
    client,
    dialect,
    logger,
    now,
    random,
    ...(options.pollTiming ? { timing: options.pollTiming } : {}),
  });
  const secret = callbackSecret(options.apiKey);
  const routePath = callbackRoutePath(dialect.name);
  let callbackUrl = options.callbackBaseUrl
    ? `${options.callbackBaseUrl.replace(/\/+$/, "")}${routePath}${secret}`
    : undefined;

  const handleCallback = (body: unknown): CallbackOutcome => {
    const named = callbackTaskId(body);
    if ("reason" in named) return { accepted: false, reason: named.reason };
    const reading = poller.readNow(named.id);
    logger.debug(
      { providerJobId: named.id, reading },
      `${dialect.label} callback; reading the task`,
    );
    return { accepted: true, providerJobId: named.id };
  };

  const getStatus = async (providerJobId: string): Promise<ProviderUpdate> => {
    const answer = await client.getTask(providerJobId);
    if (answer.kind === "missing") return lostTaskUpdate(dialect, providerJobId);
    return readTask(dialect, answer.task).update ?? { providerJobId, state: "running" };
  };

  return {
    name: dialect.name,
    catalog: dialect.catalog,
    callbackRoute: callbackUrl
      ? createCallbackRoute({ path: routePath, secret, handle: handleCallback, logger })
      : undefined,
    handleCallback,
    idle: () => poller.idle(),
    async start(listener) {
      poller.start(listener);
      const callbacks = !callbackUrl
        ? "off"
        : dialect.callbackDocumented
          ? "on"
          : "on, though not documented for Seedance 2.0 here (dropped if refused)";
      logger.info(
        { baseUrl: client.baseUrl, callbacks },
        `${dialect.label} provider started; tasks are polled`,
      );
    },
    async stop() {
      await poller.stop();
      await ownDispatcher?.destroy();
    },
    isConnected: () => poller.isConnected(),
    async submit(input) {
      const task = await createTask(
        {
          client,
          dialect,
          logger,
          now,
          callbackUrl: () => callbackUrl,
          disableCallbacks: (reason) => {
            callbackUrl = undefined;
            logger.warn({ reason }, `${dialect.label} refused callback_url; relying on polling`);
          },
        },
        input,
      );
      const reading = readTask(dialect, task);
      poller.trackSubmitted(task.id, reading);
      const state = reading.update?.state;
      return { providerJobId: task.id, state: state === "running" ? "running" : "queued" };
    },
    /**
     * Neither API can list tasks, so a create whose answer was lost cannot be found again: the
     * service then fails the job with a clear message instead of sending it twice.
     */
    findSubmitted: async () => undefined,
    reconcile: (pending) => poller.reconcile(pending),
    getStatus,
    /**
     * Neither API documents a cancel endpoint: we stop waiting for the task, but the provider may
     * still finish (and bill) it.
     */
    async cancel(providerJobId) {
      poller.forget(providerJobId);
      logger.info({ providerJobId }, `${dialect.label} has no cancel endpoint; stopped polling`);
    },
    openResult: (url) =>
      openResultLink(url, {
        provider: dialect,
        api,
        authorization: `Bearer ${options.apiKey}`,
        linkLifetime: "its links last 24 hours",
        dispatcher,
      }),
    /** Credits reserved at create are logged; they are not money, so no cost is reported. */
    fetchCost: async () => undefined,
    estimateCost: () => undefined,
  };
}
