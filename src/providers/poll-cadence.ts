import type { TrackedTask } from "./unified-task/unified-task-tracked-task.ts";

/**
 * How long to wait before reading a task again, for providers that give no estimate (fal,
 * BytePlus). Polling: about half the time left before the expected end (at least 10 s, at most 2 min), then half the time already waited once overdue,
 * and never sooner than 10 s per place in the queue — so a 10-minute generation costs about a
 * dozen reads, not the ~120 of a fixed 5 s. With webhooks the reads are only a safety net: the
 * first at 8 minutes, then every 15.
 */
export function cadenceInterval(
  task: TrackedTask,
  now: number,
  options: { webhooks: boolean; queuePosition?: number | undefined },
): number {
  if (options.webhooks) return now - task.firstSeenAt < 60_000 ? 8 * 60_000 : 15 * 60_000;
  const waited = now - task.firstSeenAt;
  const remaining = (task.expectedDoneAt ?? task.firstSeenAt) - now;
  const base = remaining > 0 ? remaining / 2 : waited / 2;
  const queued = (options.queuePosition ?? 0) * 10_000;
  return Math.round(Math.min(120_000, Math.max(10_000, base, queued)));
}
