import type { ProviderUpdate } from "../generation-provider.ts";
import type { TaskSourceRead } from "../unified-task/unified-task-poller.ts";
import type { TaskReading } from "../unified-task/unified-task-updates.ts";
import type { FalClient } from "./fal-client.ts";
import { falErrorParts, falHttpMessage, isModeration, moderationMessage } from "./fal-errors.ts";

/**
 * One read of a fal request: its status, and when it is COMPLETED its result (the video URL, or
 * fal's error answer for a request that failed). `queuePositions` keeps the last position seen.
 */
export async function readFalRequest(
  client: FalClient,
  requestId: string,
  call: { maxAttempts?: number; signal?: AbortSignal },
  queuePositions: Map<string, number>,
): Promise<TaskSourceRead> {
  const status = await client.status(requestId, call);
  if (status.kind === "missing") return status;
  const { value } = status;
  const base = { providerJobId: requestId };
  const reading = (update: ProviderUpdate | undefined): TaskSourceRead => ({
    kind: "task",
    reading: { update, awaitingResult: false },
  });
  switch (value.status.toUpperCase()) {
    case "IN_QUEUE":
      queuePositions.set(requestId, value.queue_position ?? 0);
      return reading({ ...base, state: "queued" });
    case "IN_PROGRESS":
      queuePositions.delete(requestId);
      return reading({ ...base, state: "running" });
    case "FAILED":
      return reading({
        ...base,
        state: "failed",
        error: failureWords(value.error, value.error_type),
      });
    case "CANCELED":
    case "CANCELLED":
      return reading({ ...base, state: "cancelled", error: "Cancelled at fal.ai." });
    case "COMPLETED":
      break;
    default:
      return { kind: "task", reading: { update: undefined, awaitingResult: false } };
  }
  queuePositions.delete(requestId);
  if (value.error) {
    return reading({
      ...base,
      state: "failed",
      error: failureWords(value.error, value.error_type),
    });
  }
  const result = await client.result(requestId, call);
  if (result.kind === "video")
    return reading({ ...base, state: "succeeded", resultUrl: result.url });
  const parts = falErrorParts(result.response.body);
  const { statusCode } = result.response;
  const error =
    statusCode >= 500 && !isModeration(parts)
      ? `fal.ai hit a fault while making the video; press 🔁 to try again (fal.ai does not charge for its own faults).${parts.text ? ` (${parts.text})` : ""}`
      : falHttpMessage(statusCode, parts);
  return reading({ ...base, state: "failed", error });
}

function failureWords(error: string | null | undefined, type: string | null | undefined): string {
  const parts = { ...(error ? { text: error } : {}), ...(type ? { type } : {}) };
  if (isModeration(parts)) return moderationMessage(error ?? undefined);
  return `fal.ai could not make the video; press 🔁 to try again.${error ? ` (${error})` : ""}`;
}

export function lostFalRequest(providerJobId: string): ProviderUpdate {
  return {
    providerJobId,
    state: "failed",
    error: "fal.ai no longer knows this request; press 🔁 to try again.",
  };
}

export type { TaskReading };
