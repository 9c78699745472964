import { validateRequest } from "../../domain/validate-request.ts";
import { UserFacingError } from "../../errors.ts";
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
import { createFalClient } from "./fal-client.ts";
import { falLabel } from "./fal-errors.ts";
import { expectedSecondsOf, falCatalog, falCostOf, submitPathOf } from "./fal-models.ts";
import { toFalInput } from "./fal-request-body.ts";
import { falWebhookSchema } from "./fal-schemas.ts";
import { lostFalRequest, readFalRequest } from "./fal-updates.ts";

export interface FalProviderOptions extends PolledProviderOptions {
  /** FAL_QUEUE_URL; default https://queue.fal.run. */
  queueUrl?: string;
}

export interface FalProvider extends PolledProvider {
  /** A webhook body: only `request_id` is used; the request is read back from fal before anything is believed. */
  handleCallback(body: unknown): CallbackOutcome;
}

export const falRoutePath = "/provider-callbacks/fal/";

/**
 * fal.ai's queue (`POST {queue}/{model}`, `…/requests/{id}/status`, `…/requests/{id}`,
 * `PUT …/cancel`), followed by ONE shared poller for every pending request; webhooks, when on,
 * only make it read a request sooner.
 */
export function createFalProvider(options: FalProviderOptions): FalProvider {
  const { logger } = options;
  const queueUrl = options.queueUrl ?? "https://queue.fal.run";
  const { ownDispatcher, dispatcher, now, random, retry } = polledProviderTransport(
    options,
    queueUrl,
  );
  const client = createFalClient({
    apiKey: options.apiKey,
    queueUrl,
    dispatcher,
    maxResponseBytes: options.maxResponseBytes,
    retry,
  });
  const secret = callbackSecret(options.apiKey);
  const webhookUrl = callbackUrlOf(options.callbackBaseUrl, falRoutePath, secret);
  const queuePositions = new Map<string, number>();
  const poller = new TaskPoller({
    source: {
      label: falLabel.label,
      read: (id, call) => readFalRequest(client, id, call, queuePositions),
      lost: lostFalRequest,
    },
    logger,
    now,
    random,
    timing: {
      interval: (task, at) =>
        cadenceInterval(task, at, {
          webhooks: webhookUrl !== undefined,
          queuePosition: queuePositions.get(task.providerJobId),
        }),
      ...options.pollTiming,
    },
  });

  const handleCallback = (body: unknown): CallbackOutcome => {
    const parsed = falWebhookSchema.safeParse(body);
    if (!parsed.success) return { accepted: false, reason: "the body names no request_id" };
    return readCalledBackTask(poller, parsed.data.request_id, "request_id");
  };

  const getStatus = async (providerJobId: string): Promise<ProviderUpdate> => {
    const answer = await readFalRequest(client, providerJobId, {}, queuePositions);
    if (answer.kind === "missing") return lostFalRequest(providerJobId);
    return answer.reading.update ?? { providerJobId, state: "running" };
  };

  return {
    name: falLabel.name,
    catalog: falCatalog,
    callbackRoute: webhookUrl
      ? createCallbackRoute({ path: falRoutePath, secret, handle: handleCallback, logger })
      : undefined,
    handleCallback,
    // findSubmitted finds nothing: fal cannot list requests, so a create whose answer was lost is
    // not found (nor sent twice).
    ...pollerLifecycle(poller, ownDispatcher),
    async start(listener) {
      poller.start(listener);
      logger.info(
        { queueUrl: client.queueUrl, webhooks: webhookUrl ? "on" : "off" },
        "fal.ai provider started; requests are polled",
      );
    },
    async submit(input) {
      const request = validateRequest(input.request, input.model.limits);
      if (request.watermark === true) {
        throw new UserFacingError(
          "watermark is not available on fal.ai; leave it off to send this request.",
          { field: "watermark" },
        );
      }
      const answer = await client.submit(
        submitPathOf(input.model),
        toFalInput(request),
        webhookUrl,
      );
      logger.info(
        { providerJobId: answer.request_id, model: input.model.id },
        "fal.ai request queued",
      );
      poller.trackSubmitted(answer.request_id, {
        update: { providerJobId: answer.request_id, state: "queued" },
        awaitingResult: false,
        estimatedSeconds: expectedSecondsOf(request),
      });
      return { providerJobId: answer.request_id, state: "queued" };
    },
    getStatus,
    /** `PUT …/cancel`: fal cancels a request still in the queue; one already running finishes. */
    async cancel(providerJobId) {
      const response = await client.cancel(providerJobId);
      poller.forget(providerJobId);
      queuePositions.delete(providerJobId);
      logger.info({ providerJobId, statusCode: response.statusCode }, "fal.ai cancel requested");
    },
    /** Links on fal's CDN; the key goes only to the queue host. */
    openResult: (url) =>
      openResultLink(url, {
        provider: falLabel,
        api: new URL(queueUrl),
        authorization: `Key ${options.apiKey}`,
        dispatcher,
      }),
    /** fal does not report a request's cost; the card shows the estimate. */
    fetchCost: async () => undefined,
    estimateCost: (request) => ({ amount: falCostOf(request), currency: "USD" }),
  };
}
