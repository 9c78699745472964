import { validateRequest } from "../../domain/validate-request.ts";
import { ProviderError, UserFacingError } from "../../errors.ts";
import { TransportError } from "../../http/http-errors.ts";
import type { JsonResponse } from "../../http/request-json.ts";
import type { Logger } from "../../logger.ts";
import type { SubmitInput } from "../generation-provider.ts";
import { parseTask, type UnifiedTaskClient } from "./unified-task-client.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import { errorParts, responseError, transportError } from "./unified-task-errors.ts";
import type { UnifiedTask } from "./unified-task-schemas.ts";

export interface SubmissionContext {
  client: UnifiedTaskClient;
  dialect: UnifiedTaskDialect;
  logger: Logger;
  now: () => number;
  /** The callback URL to send, while callbacks are on. */
  callbackUrl: () => string | undefined;
  /** The provider refused `callback_url`: stop sending it. */
  disableCallbacks: (reason: string) => void;
}

const createPath = "/v1/videos/generations";

/**
 * Checks the request against the model's limits and what this API can do, then
 * `POST /v1/videos/generations` once: only a 429 (certainly not accepted) is retried, at most 3
 * tries. A timeout, reset or 5xx after sending means the task may exist and credits may be
 * reserved: `outcomeUnknown`, never re-sent.
 */
export async function createTask(
  context: SubmissionContext,
  input: SubmitInput,
): Promise<UnifiedTask> {
  const { dialect } = context;
  const request = validateRequest(input.request, input.model.limits);
  if (request.watermark === true) {
    throw new UserFacingError(
      `watermark is not available on ${dialect.label}; leave it off to send this request.`,
      { field: "watermark" },
    );
  }
  const body = dialect.toRequestBody(request, input.model);
  const callbackUrl = context.callbackUrl();
  if (callbackUrl) body.callback_url = callbackUrl;
  let response = await post(context, body);
  if (callbackUrl && refusesCallback(response)) {
    // A 4xx means no task was made, so sending again without the callback charges nothing twice.
    context.disableCallbacks(errorParts(response.body).text ?? `HTTP ${response.statusCode}`);
    delete body.callback_url;
    response = await post(context, body);
  }
  const { statusCode } = response;
  if (statusCode >= 500 || statusCode === 408) {
    throw responseError(dialect, response, {
      outcomeUnknown: true,
      retryable: true,
      now: context.now(),
      context: `${dialect.label} did not confirm the task; it may exist anyway`,
    });
  }
  if (statusCode < 200 || statusCode >= 300) {
    throw responseError(dialect, response, { now: context.now() });
  }
  const task = parseTask(dialect, response.body, `POST ${createPath}`);
  context.logger.info(
    {
      providerJobId: task.id,
      model: input.model.id,
      creditsReserved: task.usage?.credits_reserved ?? undefined,
      billingRule: task.usage?.billing_rule ?? undefined,
      estimatedSeconds: task.task_info?.estimated_time ?? undefined,
    },
    `${dialect.label} task created`,
  );
  return task;
}

async function post(context: SubmissionContext, body: unknown): Promise<JsonResponse> {
  try {
    return await context.client.send("POST", createPath, { json: body, maxAttempts: 3 });
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    const mayHaveBeenSent = !(error instanceof TransportError) || error.requestMayHaveBeenSent;
    throw transportError(context.dialect, error, { outcomeUnknown: mayHaveBeenSent });
  }
}

/** A 400/422 about `callback_url` (AIHubMax does not list it for Seedance 2.0). */
function refusesCallback(response: JsonResponse): boolean {
  if (response.statusCode !== 400 && response.statusCode !== 422) return false;
  const parts = errorParts(response.body);
  return parts.param === "callback_url" || /callback_url/i.test(parts.text ?? "");
}
