import { validateRequest } from "../../domain/validate-request.ts";
import type { ProviderUpdate } from "../generation-provider.ts";
import { cadenceInterval } from "../poll-cadence.ts";
import {
  callbackUrlOf,
  type PolledProvider,
  type PolledProviderOptions,
  polledProviderTransport,
  pollerLifecycle,
  readCalledBackTask,
} from "../unified-task/polled-provider-shell.ts";
import {
  type CallbackOutcome,
  callbackSecret,
  createCallbackRoute,
} from "../unified-task/unified-task-callback.ts";
import { TaskPoller } from "../unified-task/unified-task-poller.ts";
import { openResultLink } from "../unified-task/unified-task-result.ts";
import { createArkClient } from "./byteplus-client.ts";
import { byteplusLabel } from "./byteplus-errors.ts";
import { byteplusCatalog, expectedSecondsOf } from "./byteplus-models.ts";
import { toArkBody } from "./byteplus-request-body.ts";
import { arkCallbackSchema } from "./byteplus-schemas.ts";
import { lostArkTask, readArkTask } from "./byteplus-updates.ts";

export interface BytePlusProviderOptions extends PolledProviderOptions {
  /** ARK_BASE_URL; default https://ark.ap-southeast.bytepluses.com/api/v3. */
  baseUrl?: string;
  /** ARK_SERVICE_TIER: `flex` is cheaper and slower. */
  serviceTier?: "default" | "flex";
}

export interface BytePlusProvider extends PolledProvider {
  /** A callback body: only `id` is used; the task is read back from Ark before anything is believed. */
  handleCallback(body: unknown): CallbackOutcome;
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
  const { ownDispatcher, dispatcher, now, random, retry } = polledProviderTransport(
    options,
    baseUrl,
  );
  const client = createArkClient({
    apiKey: options.apiKey,
    baseUrl,
    dispatcher,
    maxResponseBytes: options.maxResponseBytes,
    retry,
  });
  const secret = callbackSecret(options.apiKey);
  const callbackUrl = callbackUrlOf(options.callbackBaseUrl, byteplusRoutePath, secret);
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
    return readCalledBackTask(poller, parsed.data.id, "task id");
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
    // findSubmitted finds nothing: Ark's list does not echo the request, so a lost create is not
    // guessed at (nor sent twice).
    ...pollerLifecycle(poller, ownDispatcher),
    async start(listener) {
      poller.start(listener);
      logger.info(
        { baseUrl: client.baseUrl, callbacks: callbackUrl ? "on" : "off" },
        "BytePlus ModelArk provider started; tasks are polled",
      );
    },
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
