import type { ProviderUpdate } from "../generation-provider.ts";
import {
  callbackUrlOf,
  type PolledProvider,
  type PolledProviderOptions,
  polledProviderTransport,
  pollerLifecycle,
} from "./polled-provider-shell.ts";
import {
  type CallbackOutcome,
  callbackRoutePath,
  callbackSecret,
  callbackTaskId,
  createCallbackRoute,
} from "./unified-task-callback.ts";
import { createUnifiedTaskClient } from "./unified-task-client.ts";
import { type UnifiedTaskDialectName, unifiedTaskDialects } from "./unified-task-dialects.ts";
import { TaskPoller } from "./unified-task-poller.ts";
import { openResultLink } from "./unified-task-result.ts";
import { createTask } from "./unified-task-submission.ts";
import { lostTaskUpdate, readTask } from "./unified-task-updates.ts";

export interface UnifiedTaskProviderOptions extends PolledProviderOptions {
  dialect: UnifiedTaskDialectName;
  /** The API root, e.g. https://api.aihubmax.com (not …/v1). Defaults to the dialect's. */
  baseUrl?: string;
}

/** The port, plus callbacks at `/provider-callbacks/<dialect>/<secret>` and `idle()`. */
export type UnifiedTaskProvider = PolledProvider;

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
  const { ownDispatcher, dispatcher, now, random, retry } = polledProviderTransport(
    options,
    baseUrl,
  );
  const client = createUnifiedTaskClient({
    dialect,
    apiKey: options.apiKey,
    baseUrl,
    dispatcher,
    maxResponseBytes: options.maxResponseBytes,
    retry,
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
  let callbackUrl = callbackUrlOf(options.callbackBaseUrl, routePath, secret);

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
    // findSubmitted finds nothing: neither API can list tasks, so a create whose answer was lost
    // cannot be found again; the service then fails the job with a clear message instead of
    // sending it twice.
    ...pollerLifecycle(poller, ownDispatcher),
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
