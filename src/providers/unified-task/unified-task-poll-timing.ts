import type { TrackedTask } from "./unified-task-tracked-task.ts";

/** How often the poller reads tasks; every value is in milliseconds. */
export interface PollTiming {
  /** Shortest wait between two reads of one task (and the wait for a URL after `completed`). */
  minIntervalMs: number;
  /** Longest wait while a task is still ahead of its estimate. */
  maxIntervalMs: number;
  /** The wait once a task is past its estimate, or after its first 30 s without one. */
  overdueIntervalMs: number;
  /** First wait after a failed read; it doubles per failure up to `errorMaxMs`. */
  errorInitialMs: number;
  errorMaxMs: number;
  /** Reads run this many at a time. */
  concurrency: number;
  /** Failed reads in a row (no success between) before `isConnected()` turns false. */
  disconnectAfter: number;
  /** A task created this recently is kept even when a reconcile does not list it yet. */
  submitGraceMs: number;
  /** Replaces the wait after a successful read (providers with their own cadence, such as fal). */
  interval?: (task: TrackedTask, now: number) => number;
}

export const defaultPollTiming: PollTiming = {
  minIntervalMs: 5_000,
  maxIntervalMs: 20_000,
  overdueIntervalMs: 10_000,
  errorInitialMs: 10_000,
  errorMaxMs: 300_000,
  concurrency: 4,
  disconnectAfter: 3,
  submitGraceMs: 120_000,
};

/** Wait before the next read of a task that was just read successfully. */
export function nextInterval(task: TrackedTask, now: number, timing: PollTiming): number {
  if (timing.interval) return timing.interval(task, now);
  if (task.awaitingResult) return timing.minIntervalMs;
  if (task.expectedDoneAt !== undefined) {
    const remaining = task.expectedDoneAt - now;
    if (remaining <= 0) return timing.overdueIntervalMs;
    return Math.round(
      Math.min(timing.maxIntervalMs, Math.max(timing.minIntervalMs, remaining / 4)),
    );
  }
  return now - task.firstSeenAt < 30_000 ? timing.minIntervalMs : timing.overdueIntervalMs;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
