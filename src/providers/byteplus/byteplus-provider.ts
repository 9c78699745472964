import type { Dispatcher } from "undici";
import { validateRequest } from "../../domain/validate-request.ts";
import { createHttpAgent } from "../../http/http-agent.ts";
import type { Sleep } from "../../http/sleep.ts";
import type { Logger } from "../../logger.ts";
import type { GenerationProvider, ProviderUpdate } from "../generation-provider.ts";
import { cadenceInterval } from "../poll-cadence.ts";
import {
  type CallbackOutcome,
  type CallbackRoute,
  callbackSecret,
  createCallbackRoute,
} from "../unified-task/unified-task-callback.ts";
import type { PollTiming } from "../unified-task/unified-task-poll-timing.ts";
import { TaskPoller } from "../unified-task/unified-task-poller.ts";
import { openResultLink } from "../unified-task/unified-task-result.ts";
import { createArkClient } from "./byteplus-client.ts";
import { byteplusLabel } from "./byteplus-errors.ts";
import { byteplusCatalog, expectedSecondsOf } from "./byteplus-models.ts";
import { toArkBody } from "./byteplus-request-body.ts";
import { arkCallbackSchema } from "./byteplus-schemas.ts";
import { lostArkTask, readArkTask } from "./byteplus-updates.ts";

export interface BytePlusProviderOptions {
  apiKey: string;
  /** ARK_BASE_URL; default https://ark.ap-southeast.bytepluses.com/api/v3. */
  baseUrl?: string;
  /** ARK_SERVICE_TIER: `flex` is cheaper and slower. */
  serviceTier?: "default" | "flex";
  logger: Logger;
  /** PUBLIC_BASE_URL when https: creates carry `callback_url`, and `callbackRoute` must be mounted. */
  callbackBaseUrl?: string;
  pollTiming?: Partial<PollTiming>;
  dispatcher?: Dispatcher;
  trustedHosts?: readonly string[];
  maxResponseBytes?: number;
  sleep?: Sleep;
  random?: () => number;
  now?: () => number;
}

export interface BytePlusProvider extends GenerationProvider {
  readonly callbackRoute: CallbackRoute | undefined;
  /** A callback body: only `id` is used; the task is read back from Ark before anything is believed. */
  handleCallback(body: unknown): CallbackOutcome;
  idle(): Promise<void>;
}

export const byteplusRoutePath = "/provider-callbacks/byteplus/";
export const defaultArkBaseUrl = "https://ark.ap-southeast.bytepluses.com/api/v3";

/**
 * BytePlus ModelArk video tasks (`POST/GET/DELETE {base}/contents/generations/tasks`), followed by
 * ONE shared poller; callbacks (retried by Ark only 3 times, 5 s apart) only make it read sooner.
 */
export function createBytePlusProvider(options: BytePlusProviderOptions): BytePlusProvider {
  const { logger } = options;
  const baseUrl = options.baseUrl ?? defaultArkBaseUrl;
  const ownDispatcher = options.dispatcher
    ? undefined
    : createHttpAgent({ trustedHosts: [baseUrl, ...(options.trustedHosts ?? [])] });
  const dispatcher = options.dispatcher ?? ownDispatcher;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  const client = createArkClient({
    apiKey: options.apiKey,
    baseUrl,
    dispatcher,
    maxResponseBytes: options.maxResponseBytes,
    retry: { now, random, ...(options.sleep ? { sleep: options.sleep } : {}) },
  });
  const secret = callbackSecret(options.apiKey);
  const callbackUrl = options.callbackBaseUrl
    ? `${options.callbackBaseUrl.replace(/\/+$/, "")}${byteplusRoutePath}${secret}`
    : undefined;
  const poller = new TaskPoller({
    source: {
      label: byteplusLabel.label,
      read: (id, call) => readArkTask(client, id, call),
      lost: lostArkTask,
    },
    logger,
    now,
    random,
    timing: {
      interval: (task, at) => cadenceInterval(task, at, { webhooks: callbackUrl !== undefined }),
      ...options.pollTiming,
    },
  });

  const handleCallback = (body: unknown): CallbackOutcome => {
    const parsed = arkCallbackSchema.safeParse(body);
    if (!parsed.success) return { accepted: false, reason: "the body names no task id" };
    const { id } = parsed.data;
    if (!/^[\w.-]{1,200}$/.test(id)) return { accepted: false, reason: "unexpected task id" };
    poller.readNow(id);
    return { accepted: true, providerJobId: id };
  };

  const getStatus = async (providerJobId: string): Promise<ProviderUpdate> => {
    const answer = await readArkTask(client, providerJobId, {});
    if (answer.kind === "missing") return lostArkTask(providerJobId);
    return answer.reading.update ?? { providerJobId, state: "running" };
  };

  return {
    name: byteplusLabel.name,
    catalog: byteplusCatalog,
    callbackRoute: callbackUrl
      ? createCallbackRoute({ path: byteplusRoutePath, secret, handle: handleCallback, logger })
      : undefined,
    handleCallback,
    idle: () => poller.idle(),
    async start(listener) {
      poller.start(listener);
      logger.info(
        { baseUrl: client.baseUrl, callbacks: callbackUrl ? "on" : "off" },
        "BytePlus ModelArk provider started; tasks are polled",
      );
    },
    async stop() {
      await poller.stop();
      await ownDispatcher?.destroy();
    },
    isConnected: () => poller.isConnected(),
    async submit(input) {
      const request = validateRequest(input.request, input.model.limits);
      const body = toArkBody(request, input.model, {
        ...(callbackUrl ? { callbackUrl } : {}),
        ...(options.serviceTier ? { serviceTier: options.serviceTier } : {}),
      });
      const id = await client.create(body);
      logger.info({ providerJobId: id, model: input.model.id }, "BytePlus task created");
      poller.trackSubmitted(id, {
        update: { providerJobId: id, state: "queued" },
        awaitingResult: false,
        estimatedSeconds: expectedSecondsOf(request),
      });
      return { providerJobId: id, state: "queued" };
    },
    /** Ark's list does not echo the request, so a lost create is not guessed at (nor sent twice). */
    findSubmitted: async () => undefined,
    reconcile: (pending) => poller.reconcile(pending),
    getStatus,
    /** DELETE while queued; a running task cannot be stopped and finishes (and is billed). */
    async cancel(providerJobId) {
      const response = await client.cancel(providerJobId);
      poller.forget(providerJobId);
      const accepted = response.statusCode >= 200 && response.statusCode < 300;
      if (accepted) logger.info({ providerJobId }, "BytePlus task cancelled");
      else {
        logger.warn(
          { providerJobId, statusCode: response.statusCode },
          "BytePlus refused the cancel (the task is no longer queued); it may finish and be billed",
        );
      }
    },
    /** Links on the object store; the key goes only to the API host. */
    openResult: (url) =>
      openResultLink(url, {
        provider: byteplusLabel,
        api: new URL(baseUrl),
        authorization: `Bearer ${options.apiKey}`,
        linkOwner: "BytePlus",
        linkLifetime: "its links last 24 hours",
        dispatcher,
      }),
    /** Tokens are logged; no per-token price for Seedance 2.0 could be confirmed, so no money. */
    fetchCost: async (providerJobId) => {
      const answer = await client.getTask(providerJobId);
      if (answer.kind === "task") {
        const tokens = answer.task.usage?.completion_tokens ?? undefined;
        logger.info({ providerJobId, completionTokens: tokens }, "BytePlus task usage");
      }
      return undefined;
    },
    estimateCost: () => undefined,
  };
}
