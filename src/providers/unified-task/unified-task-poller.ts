import { errorMessage, ProviderError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { PendingJobRef, ProviderListener, ProviderUpdate } from "../generation-provider.ts";
import type { UnifiedTaskClient } from "./unified-task-client.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import {
  defaultPollTiming,
  forEachLimited,
  nextInterval,
  type PollTiming,
} from "./unified-task-poll-timing.ts";
import { type TaskSource, unifiedTaskSource } from "./unified-task-source.ts";
import {
  absorbFailure,
  absorbMissing,
  absorbReading,
  knownUpdate,
  newTrackedTask,
  pendingState,
  type ReadResult,
  stateDiffers,
  type TrackedTask,
} from "./unified-task-tracked-task.ts";
import type { TaskReading } from "./unified-task-updates.ts";

export type { TaskSource, TaskSourceRead } from "./unified-task-source.ts";

export type TaskPollerOptions = (
  | { client: UnifiedTaskClient; dialect: UnifiedTaskDialect; source?: undefined }
  | { source: TaskSource; client?: undefined; dialect?: undefined }
) & {
  logger: Logger;
  now: () => number;
  random: () => number;
  timing?: Partial<PollTiming>;
};

const maxProbes = 100;

/**
 * The push channel these APIs lack: ONE timer for every pending task. Each task has its own due
 * time (adapted to `estimated_time`, backed off after errors); when the timer fires, every due task
 * is read, a few at a time, and news goes to the listener. Only tasks we know are pending are read:
 * created here, or handed over by `reconcile` (the service's sweep, on start and every interval).
 */
export class TaskPoller {
  readonly #options: TaskPollerOptions;
  readonly #source: TaskSource;
  readonly #timing: PollTiming;
  readonly #tasks = new Map<string, TrackedTask>();
  readonly #reads = new Map<string, Promise<ReadResult | undefined>>();
  readonly #lifetime = new AbortController();
  #listener: ProviderListener | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #round: Promise<void> | undefined;
  #pausedUntil = 0;
  #failuresInRow = 0;
  #connected = false;

  constructor(options: TaskPollerOptions) {
    this.#options = options;
    this.#source = options.source ?? unifiedTaskSource(options.client, options.dialect);
    this.#timing = { ...defaultPollTiming, ...options.timing };
  }

  start(listener: ProviderListener): void {
    if (this.#listener || this.#lifetime.signal.aborted) return;
    this.#listener = listener;
    this.#connected = true;
    this.#notify((each) => each.onConnected());
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#lifetime.abort();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.idle();
  }

  /** Resolves once no round and no read is under way (tests step the clock with it). */
  async idle(): Promise<void> {
    while (this.#round || this.#reads.size > 0) {
      await Promise.allSettled([this.#round, ...this.#reads.values()]);
    }
  }

  isConnected(): boolean {
    return this.#connected;
  }

  /** A task we just created; its first read waits for the interval its estimate suggests. */
  trackSubmitted(providerJobId: string, reading: TaskReading): void {
    const now = this.#options.now();
    const task = this.#add(providerJobId, { submittedAt: now, firstSeenAt: now });
    const update = reading.update;
    if (update?.state === "queued" || update?.state === "running") {
      task.reported = {
        ...pendingState(update.state),
        ...(update.progress === undefined ? {} : { progress: update.progress }),
      };
    }
    if (reading.estimatedSeconds !== undefined) {
      task.expectedDoneAt = now + reading.estimatedSeconds * 1000;
    }
    task.dueAt = now + nextInterval(task, now, this.#timing);
    this.#schedule();
  }

  forget(providerJobId: string): void {
    this.#tasks.delete(providerJobId);
  }

  /** A callback named this task: read it now (the callback body itself is never trusted). */
  readNow(providerJobId: string): boolean {
    if (this.#lifetime.signal.aborted) return false;
    let task = this.#tasks.get(providerJobId);
    if (!task) {
      const probes = [...this.#tasks.values()].filter((each) => each.probe).length;
      if (probes >= maxProbes) return false;
      task = this.#add(providerJobId, { probe: true });
    }
    void this.#read(task).then((result) => {
      if (result?.changed) this.#emit(result.update);
      this.#schedule();
    });
    return true;
  }

  /**
   * Takes over the service's list of pending tasks (forgetting any it no longer waits for), reads
   * each one (a read already under way is shared; each read also resets that task's poll), and
   * returns what the service does not know yet.
   */
  async reconcile(pending: readonly PendingJobRef[]): Promise<ProviderUpdate[]> {
    if (this.#lifetime.signal.aborted) return [];
    const now = this.#options.now();
    const wanted = new Set(pending.map((reference) => reference.providerJobId));
    for (const [id, task] of this.#tasks) {
      const recent =
        task.submittedAt !== undefined && now - task.submittedAt < this.#timing.submitGraceMs;
      if (!wanted.has(id) && !task.probe && !recent) this.#tasks.delete(id);
    }
    const updates: ProviderUpdate[] = [];
    await forEachLimited(pending, this.#timing.concurrency, async (reference) => {
      const task =
        this.#tasks.get(reference.providerJobId) ??
        this.#add(reference.providerJobId, { reported: pendingState(reference.state) });
      if (this.#options.now() < this.#pausedUntil) {
        // Rate limited: answer from what is known; the poller reads it once the pause is over.
        const known = knownUpdate(task);
        if (known && stateDiffers(reference.state, known.state)) updates.push(known);
        return;
      }
      const result = await this.#read(task);
      if (result && (result.changed || stateDiffers(reference.state, result.update.state))) {
        updates.push(result.update);
      }
    });
    this.#schedule();
    return updates;
  }

  #add(providerJobId: string, fields: Partial<TrackedTask>): TrackedTask {
    const existing = this.#tasks.get(providerJobId);
    if (existing) {
      Object.assign(existing, fields);
      existing.probe = fields.probe ?? false;
      return existing;
    }
    const task = newTrackedTask(providerJobId, this.#options.now(), fields);
    this.#tasks.set(providerJobId, task);
    return task;
  }

  /** Reads one task (sharing a read already under way) and folds the answer into what we know. */
  #read(task: TrackedTask): Promise<ReadResult | undefined> {
    const running = this.#reads.get(task.providerJobId);
    if (running) return running;
    const read = this.#readOnce(task).finally(() => this.#reads.delete(task.providerJobId));
    this.#reads.set(task.providerJobId, read);
    return read;
  }

  async #readOnce(task: TrackedTask): Promise<ReadResult | undefined> {
    const { logger, now } = this.#options;
    const source = this.#source;
    const signal = this.#lifetime.signal;
    try {
      const answer = await source.read(task.providerJobId, { maxAttempts: 1, signal });
      if (signal.aborted) return undefined;
      this.#answered();
      if (this.#tasks.get(task.providerJobId) !== task) return undefined;
      if (answer.kind === "task") {
        const { result, done } = absorbReading(task, answer.reading, now(), this.#timing);
        if (done) this.#tasks.delete(task.providerJobId);
        return result;
      }
      const verdict = absorbMissing(task, now(), this.#timing);
      if (verdict === "wait") return undefined;
      this.#tasks.delete(task.providerJobId);
      if (verdict === "drop") return undefined;
      logger.warn(
        { providerJobId: task.providerJobId, reason: answer.reason },
        `${source.label} no longer knows a pending task`,
      );
      return { update: source.lost(task.providerJobId), changed: true };
    } catch (error) {
      if (signal.aborted) return undefined;
      this.#failed(task, error);
      logger.warn(
        { providerJobId: task.providerJobId, failures: task.failures, err: error },
        `could not read a ${source.label} task; it will be read again`,
      );
      return undefined;
    }
  }

  #failed(task: TrackedTask, error: unknown): void {
    const now = this.#options.now();
    if (error instanceof ProviderError && error.statusCode === 429) {
      // Not this task's fault: every read waits for the Retry-After.
      this.#pausedUntil = Math.max(
        this.#pausedUntil,
        now + (error.retryAfterMs ?? this.#timing.errorInitialMs),
      );
      task.dueAt = this.#pausedUntil;
      return;
    }
    absorbFailure(task, now, this.#timing, this.#options.random);
    this.#failuresInRow += 1;
    if (this.#connected && this.#failuresInRow >= this.#timing.disconnectAfter) {
      this.#connected = false;
      this.#notify((each) => each.onDisconnected(errorMessage(error)));
    }
  }

  /** Any answer proves the API is reachable; after an outage the service reconciles at once. */
  #answered(): void {
    this.#failuresInRow = 0;
    if (this.#connected) return;
    this.#connected = true;
    this.#options.logger.info(`${this.#source.label} answers again`);
    this.#notify((each) => each.onConnected());
  }

  /** Arms the one timer for the earliest due task (nothing while a round runs or nothing waits). */
  #schedule(): void {
    if (!this.#listener || this.#lifetime.signal.aborted || this.#round) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    let earliest = Number.POSITIVE_INFINITY;
    for (const task of this.#tasks.values()) earliest = Math.min(earliest, task.dueAt);
    if (earliest === Number.POSITIVE_INFINITY) return;
    const wait = Math.max(0, Math.max(earliest, this.#pausedUntil) - this.#options.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#round = this.#runRound().finally(() => {
        this.#round = undefined;
        this.#schedule();
      });
    }, wait);
    this.#timer.unref?.();
  }

  async #runRound(): Promise<void> {
    const now = this.#options.now();
    // Tasks due within the next second ride along, so close due times share one wake-up.
    const due = [...this.#tasks.values()].filter((task) => task.dueAt <= now + 1_000);
    await forEachLimited(due, this.#timing.concurrency, async (task) => {
      if (this.#lifetime.signal.aborted || this.#options.now() < this.#pausedUntil) return;
      const result = await this.#read(task);
      if (result?.changed) this.#emit(result.update);
    });
  }

  #emit(update: ProviderUpdate): void {
    this.#notify((each) => each.onUpdate(update));
  }

  #notify(call: (listener: ProviderListener) => void): void {
    const listener = this.#listener;
    if (!listener) return;
    try {
      call(listener);
    } catch (error) {
      this.#options.logger.error({ err: error }, "the provider listener threw");
    }
  }
}
