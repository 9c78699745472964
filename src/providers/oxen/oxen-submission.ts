import { ProviderError } from "../../errors.ts";
import { TransportError } from "../../http/http-errors.ts";
import type { JsonResponse } from "../../http/request-json.ts";
import type { SubmitInput, SubmitOutcome } from "../generation-provider.ts";
import { type OxenClient, parseOxenResponse, transportProviderError } from "./oxen-client.ts";
import { oxenErrorText, oxenProviderName, oxenResponseError } from "./oxen-errors.ts";
import { toOxenRequestBody } from "./oxen-request-body.ts";
import {
  type OxenRequestSchema,
  oxenEnqueueResponseSchema,
  oxenQueueListSchema,
} from "./oxen-schemas.ts";
import { stateOf } from "./oxen-updates.ts";

/** A job enqueued this long before our own record still counts as ours (clock skew, latency). */
const matchWindowMs = 60_000;

/**
 * `POST /api/ai/queue`, sent once: only a 429 (certainly not accepted) is retried, at most 3 tries.
 * A timeout, reset or 5xx after sending means the job may exist: `outcomeUnknown`, never re-sent.
 */
export async function submitToOxen(
  client: OxenClient,
  input: SubmitInput,
  now: () => number,
  schema?: OxenRequestSchema,
): Promise<SubmitOutcome> {
  const body = toOxenRequestBody(input.request, input.model, schema);
  let response: JsonResponse;
  try {
    response = await client.send("POST", "/api/ai/queue", { json: body, maxAttempts: 3 });
  } catch (error) {
    const mayHaveBeenSent = !(error instanceof TransportError) || error.requestMayHaveBeenSent;
    throw transportProviderError(error, { outcomeUnknown: mayHaveBeenSent });
  }
  const { statusCode } = response;
  if (statusCode >= 500 || statusCode === 408) {
    throw oxenResponseError(response, {
      outcomeUnknown: true,
      retryable: true,
      now: now(),
      context: "Oxen did not confirm the job; it may exist anyway",
    });
  }
  if (statusCode === 429) throw oxenResponseError(response, { retryable: true, now: now() });
  if (statusCode < 200 || statusCode >= 300) {
    throw oxenResponseError(response, { retryable: false, now: now() });
  }
  const enqueued = parseOxenResponse(
    oxenEnqueueResponseSchema,
    response.body,
    "POST /api/ai/queue",
  );
  const generation = enqueued.generations[0];
  if (!generation) {
    throw new ProviderError({
      message: oxenErrorText(enqueued) ?? "Oxen accepted the request but created no job",
      provider: oxenProviderName,
      statusCode,
      retryable: false,
    });
  }
  return { providerJobId: generation.generation_id, state: stateOf(generation.status) };
}

/**
 * After an unknown outcome: the active job with the same model and prompt, enqueued no earlier than
 * a minute before our record, that no other job of ours has claimed.
 */
export async function findSubmittedOnOxen(
  client: OxenClient,
  input: SubmitInput,
  claimedIds: ReadonlySet<string>,
  schema?: OxenRequestSchema,
): Promise<SubmitOutcome | undefined> {
  const { prompt } = toOxenRequestBody(input.request, input.model, schema);
  const list = await client.getJson(
    `/api/ai/queue?model=${encodeURIComponent(input.model.id)}`,
    oxenQueueListSchema,
  );
  const earliest = input.createdAt - matchWindowMs;
  const match = list.generations
    .filter(
      (row) =>
        row.model_name === input.model.id &&
        row.prompt === prompt &&
        row.enqueued_at * 1000 >= earliest &&
        !claimedIds.has(row.generation_id),
    )
    .sort((a, b) => a.enqueued_at - b.enqueued_at)[0];
  return match ? { providerJobId: match.generation_id, state: stateOf(match.status) } : undefined;
}
