import type { ProviderJobState, ProviderUpdate } from "../generation-provider.ts";
import type { TaskSourceRead } from "../unified-task/unified-task-poller.ts";
import type { ArkClient } from "./byteplus-client.ts";
import { describeArkFailure } from "./byteplus-errors.ts";
import type { ArkTask } from "./byteplus-schemas.ts";

const states: Readonly<Record<string, ProviderJobState>> = {
  queued: "queued",
  running: "running",
  succeeded: "succeeded",
  failed: "failed",
  cancelled: "cancelled",
  expired: "failed",
};

/** One task as an update: the video and last-frame URLs on success, Ark's reason on failure. */
export function arkUpdateOf(task: ArkTask): ProviderUpdate | undefined {
  const state = states[task.status.toLowerCase()];
  if (!state) return undefined;
  const base = { providerJobId: task.id };
  if (state === "succeeded") {
    const resultUrl = task.content?.video_url?.trim();
    if (!resultUrl) return { ...base, state: "running" };
    const lastFrameUrl = task.content?.last_frame_url?.trim();
    return { ...base, state, resultUrl, ...(lastFrameUrl ? { lastFrameUrl } : {}) };
  }
  if (state === "failed") {
    const error =
      task.status.toLowerCase() === "expired"
        ? "BytePlus gave up on this task before it ran (it expired in the queue); press 🔁 to try again."
        : describeArkFailure(task.error);
    return { ...base, state, error };
  }
  if (state === "cancelled") return { ...base, state, error: "Cancelled at BytePlus." };
  return { ...base, state };
}

export async function readArkTask(
  client: ArkClient,
  id: string,
  call: { maxAttempts?: number; signal?: AbortSignal },
): Promise<TaskSourceRead> {
  const answer = await client.getTask(id, call);
  if (answer.kind === "missing") return answer;
  const update = arkUpdateOf(answer.task);
  const awaitingResult =
    answer.task.status.toLowerCase() === "succeeded" && update?.state === "running";
  return { kind: "task", reading: { update, awaitingResult } };
}

export function lostArkTask(providerJobId: string): ProviderUpdate {
  return {
    providerJobId,
    state: "failed",
    error: "BytePlus no longer knows this task (tasks are kept 7 days); press 🔁 to try again.",
  };
}
