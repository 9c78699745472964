import type { ProviderJobState, ProviderUpdate } from "../generation-provider.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import { describeTaskFailure } from "./unified-task-failures.ts";
import type { UnifiedTask } from "./unified-task-schemas.ts";

/** What one read of a task says, before the poller adds its timing. */
export interface TaskReading {
  /** undefined for a status we do not know: keep waiting, report nothing. */
  update: ProviderUpdate | undefined;
  /** `completed` without a URL yet: not terminal (the URL is attached a moment later). */
  awaitingResult: boolean;
  /** `task_info.estimated_time`: seconds the provider expects the whole task to take. */
  estimatedSeconds?: number;
}

const pendingStatuses: Readonly<Record<string, ProviderJobState>> = {
  pending: "queued",
  processing: "running",
};

/** The video URL: `results[0]` whether it is a string (EvoLink) or `{url}` (AIHubMax). */
export function resultUrlOf(task: UnifiedTask): string | undefined {
  for (const result of task.results ?? []) {
    const url = typeof result === "string" ? result : result?.url;
    if (url?.trim()) return url.trim();
  }
  return undefined;
}

export function readTask(dialect: UnifiedTaskDialect, task: UnifiedTask): TaskReading {
  const estimatedSeconds = task.task_info?.estimated_time ?? undefined;
  const timing = estimatedSeconds === undefined ? {} : { estimatedSeconds };
  const base = { providerJobId: task.id, ...progressOf(task) };
  const status = task.status.toLowerCase();
  const pendingState = pendingStatuses[status];
  if (pendingState) {
    return { update: { ...base, state: pendingState }, awaitingResult: false, ...timing };
  }
  if (status === "completed") {
    const resultUrl = resultUrlOf(task);
    if (resultUrl) {
      return { update: { ...base, state: "succeeded", resultUrl }, awaitingResult: false };
    }
    return { update: { ...base, state: "running" }, awaitingResult: true, ...timing };
  }
  if (status === "failed") {
    const error = describeTaskFailure(dialect, task.error);
    return { update: { ...base, state: "failed", error }, awaitingResult: false };
  }
  if (status === "cancelled" || status === "canceled") {
    const error = `Cancelled at ${dialect.label}.`;
    return { update: { ...base, state: "cancelled", error }, awaitingResult: false };
  }
  return { update: undefined, awaitingResult: false, ...timing };
}

export function isTerminal(state: ProviderJobState): boolean {
  return state === "succeeded" || state === "failed" || state === "cancelled";
}

function progressOf(task: UnifiedTask): { progress?: number } {
  const progress = task.progress;
  if (typeof progress !== "number" || !Number.isFinite(progress)) return {};
  return { progress: Math.min(100, Math.max(0, Math.round(progress))) };
}

export function lostTaskUpdate(dialect: UnifiedTaskDialect, providerJobId: string): ProviderUpdate {
  return {
    providerJobId,
    state: "failed",
    error: `${dialect.label} no longer knows this task; press 🔁 to try again.`,
  };
}
