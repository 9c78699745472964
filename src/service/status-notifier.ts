import type { ChatAdapter } from "../chat/chat-adapter.ts";
import { isRetryable } from "../errors.ts";
import type { Job, JobState } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { Logger } from "../logger.ts";
import { backoffDelay } from "../util/backoff.ts";

const maxRetries = 6;
/**
 * States a job passes through on its way to the next: a card showing one is overwritten at once when
 * the delivery goes well, so it is shown only once it has lasted `holdMs`.
 */
const passingStates: ReadonlySet<JobState> = new Set(["succeeded", "delivering"]);
/** How long a passing state waits before its card is edited (a user notices a wait, not a flicker). */
export const defaultHoldMs = 5_000;

/**
 * Shows each job's latest state on its platform, one call at a time per job and newest state
 * only: a burst of changes becomes at most one call in flight and one queued. A passing state
 * (fetching, posting the video) is held for a moment and dropped when a newer state comes, or when
 * the service says the next one follows at once (`overwriting`): each platform call counts against
 * the platform's rate limit, and a recovery of many jobs spends them where a user sees them.
 */
export class StatusNotifier {
  readonly #store: JobStore;
  readonly #adapters: ReadonlyMap<string, ChatAdapter>;
  readonly #logger: Logger;
  readonly #latest = new Map<string, Job>();
  readonly #running = new Map<string, Promise<void>>();
  /** Card ids learned while a job's calls are in flight, so the next call edits instead of posting. */
  readonly #cardIds = new Map<string, string>();
  /** Failed calls waiting to be tried again, and how many tries each job has had. */
  readonly #retries = new Map<string, { timer: NodeJS.Timeout; attempt: number }>();
  /** Passing states waiting out `holdMs` before they are shown. */
  readonly #held = new Map<string, NodeJS.Timeout>();
  readonly #holdMs: number;
  #stopped = false;

  constructor(
    store: JobStore,
    adapters: ReadonlyMap<string, ChatAdapter>,
    logger: Logger,
    options: { holdMs?: number } = {},
  ) {
    this.#store = store;
    this.#adapters = adapters;
    this.#logger = logger;
    this.#holdMs = options.holdMs ?? defaultHoldMs;
  }

  notify(job: Job): void {
    if (this.#stopped || !this.#adapters.has(job.origin.platform)) return;
    const retry = this.#retries.get(job.id);
    if (retry) clearTimeout(retry.timer);
    this.#dropHeld(job.id);
    if (passingStates.has(job.state) && this.#holdMs > 0) {
      const timer = setTimeout(() => {
        this.#held.delete(job.id);
        this.#show(job);
      }, this.#holdMs);
      timer.unref();
      this.#held.set(job.id, timer);
      return;
    }
    this.#show(job);
  }

  /** The job's next state follows at once (its video is being posted): a held passing state is not shown. */
  overwriting(jobId: string): void {
    this.#dropHeld(jobId);
  }

  #dropHeld(jobId: string): void {
    const held = this.#held.get(jobId);
    if (held === undefined) return;
    clearTimeout(held);
    this.#held.delete(jobId);
  }

  #show(job: Job): void {
    if (this.#stopped) return;
    this.#latest.set(job.id, job);
    if (!this.#running.has(job.id)) {
      this.#running.set(job.id, this.#drain(job.id));
    }
  }

  /** Resolves once every status call queued so far has finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  /** Drops pending retries and waits for calls in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const retry of this.#retries.values()) clearTimeout(retry.timer);
    this.#retries.clear();
    for (const held of this.#held.values()) clearTimeout(held);
    this.#held.clear();
    await this.idle();
  }

  async #drain(jobId: string): Promise<void> {
    for (let job = this.#latest.get(jobId); job; job = this.#latest.get(jobId)) {
      this.#latest.delete(jobId);
      const known = this.#cardIds.get(jobId) ?? job.statusMessageId;
      const snapshot = known ? { ...job, statusMessageId: known } : job;
      const adapter = this.#adapters.get(job.origin.platform);
      try {
        const cardId = await adapter?.showStatus(snapshot);
        if (cardId && cardId !== known) {
          this.#cardIds.set(jobId, cardId);
          await this.#remember(jobId, cardId);
        }
        this.#retries.delete(jobId);
      } catch (error) {
        this.#logger.warn({ err: error, jobId, state: job.state }, "status update failed");
        if (isRetryable(error) && !this.#latest.has(jobId)) this.#retryLater(snapshot);
      }
    }
    // In the same synchronous step as the loop's last look at #latest: a change notified from now on
    // starts a new drain, so none is left behind by a drain that is ending.
    this.#running.delete(jobId);
    this.#cardIds.delete(jobId);
  }

  /** The platform had trouble: show the same state again after a backoff, a few times at most. */
  #retryLater(job: Job): void {
    const attempt = (this.#retries.get(job.id)?.attempt ?? 0) + 1;
    if (this.#stopped || attempt > maxRetries) {
      this.#retries.delete(job.id);
      return;
    }
    const timer = setTimeout(
      () => {
        const pending = this.#retries.get(job.id);
        this.#show(job);
        if (pending) this.#retries.set(job.id, { ...pending, attempt });
      },
      backoffDelay(attempt - 1, { initialMs: 1_000, maxMs: 60_000 }),
    );
    timer.unref();
    this.#retries.set(job.id, { timer, attempt });
  }

  async #remember(jobId: string, statusMessageId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.#store.get(jobId);
      if (!current || current.statusMessageId === statusMessageId) return;
      if (await this.#store.update(jobId, { statusMessageId }, current.version)) return;
    }
  }
}
