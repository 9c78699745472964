import { backoffDelay } from "../../util/backoff.ts";
import type { ProviderJobState, ProviderUpdate } from "../generation-provider.ts";
import { nextInterval, type PollTiming } from "./unified-task-poll-timing.ts";
import { isTerminal, type TaskReading } from "./unified-task-updates.ts";

/** What the poller knows about one task. */
export interface TrackedTask {
  readonly providerJobId: string;
  /** What the service was last told, or holds (state and progress). */
  reported: { state?: "queued" | "running"; progress?: number };
  firstSeenAt: number;
  /** When the provider expects the task to be done (from `task_info.estimated_time`). */
  expectedDoneAt?: number;
  dueAt: number;
  lastReadAt?: number;
  /** Failed reads in a row. */
  failures: number;
  /** "Not found" reads in a row; one may be a replica lagging behind the create. */
  missing: number;
  /** Completed without a URL yet. */
  awaitingResult: boolean;
  /** Learned from a callback for an id we did not hold: read once, never reported as lost. */
  probe: boolean;
  /** Set for tasks we created, so a reconcile that races the job's write does not drop them. */
  submittedAt?: number;
}

/** One read's result: the update, and whether it is news to the service. */
export interface ReadResult {
  update: ProviderUpdate;
  changed: boolean;
}

export function newTrackedTask(
  providerJobId: string,
  now: number,
  fields: Partial<TrackedTask> = {},
): TrackedTask {
  return {
    providerJobId,
    reported: {},
    firstSeenAt: now,
    dueAt: now,
    failures: 0,
    missing: 0,
    awaitingResult: false,
    probe: false,
    ...fields,
  };
}

/**
 * Folds a successful read into the task: its next due time, its ETA, and whether the update is
 * news. `done` says the poller can forget the task (it ended, or was a one-off probe).
 */
export function absorbReading(
  task: TrackedTask,
  reading: TaskReading,
  now: number,
  timing: PollTiming,
): { result: ReadResult | undefined; done: boolean } {
  Object.assign(task, { lastReadAt: now, failures: 0, missing: 0 });
  task.awaitingResult = reading.awaitingResult;
  if (reading.estimatedSeconds !== undefined) {
    task.expectedDoneAt = task.firstSeenAt + reading.estimatedSeconds * 1000;
  }
  task.dueAt = now + nextInterval(task, now, timing);
  const update = reading.update;
  if (!update) return { result: undefined, done: task.probe };
  if (isTerminal(update.state)) return { result: { update, changed: true }, done: true };
  if (task.expectedDoneAt !== undefined) {
    update.etaSeconds = Math.max(0, Math.ceil((task.expectedDoneAt - now) / 1000));
  }
  const changed = isNews(task.reported, update);
  if (changed) {
    task.reported = {
      ...pendingState(update.state),
      ...(update.progress === undefined ? {} : { progress: update.progress }),
    };
  }
  return { result: { update, changed }, done: task.probe };
}

/**
 * A "not found" read: a probe is dropped, a task is reported lost only the second time in a row
 * (a fresh task may not have reached every replica yet).
 */
export function absorbMissing(
  task: TrackedTask,
  now: number,
  timing: PollTiming,
): "drop" | "lost" | "wait" {
  task.missing += 1;
  task.lastReadAt = now;
  if (task.probe) return "drop";
  if (task.missing >= 2) return "lost";
  task.dueAt = now + timing.minIntervalMs;
  return "wait";
}

/** A failed read: the task waits longer each time (10 s, 20 s, 40 s… by default). */
export function absorbFailure(
  task: TrackedTask,
  now: number,
  timing: PollTiming,
  random: () => number,
): void {
  task.failures += 1;
  task.dueAt =
    now +
    backoffDelay(task.failures - 1, {
      initialMs: timing.errorInitialMs,
      maxMs: timing.errorMaxMs,
      random,
    });
}

/** What we know of a pending task, as an update. */
export function knownUpdate(task: TrackedTask): ProviderUpdate | undefined {
  const { state, progress } = task.reported;
  if (!state) return undefined;
  return {
    providerJobId: task.providerJobId,
    state,
    ...(progress === undefined ? {} : { progress }),
  };
}

export function pendingState(state: ProviderJobState): TrackedTask["reported"] {
  return state === "running" ? { state: "running" } : { state: "queued" };
}

/** A real change of state: a running job read as queued again is a stale read, not news. */
export function stateDiffers(known: ProviderJobState, read: ProviderJobState): boolean {
  return read !== known && !(known === "running" && read === "queued");
}

function isNews(reported: TrackedTask["reported"], update: ProviderUpdate): boolean {
  if (!reported.state) return true;
  if (stateDiffers(reported.state, update.state)) return true;
  if (update.state !== reported.state) return false;
  // No progress known counts as 0, so a restart's first read of a waiting task is not news.
  return update.progress !== undefined && update.progress !== (reported.progress ?? 0);
}
