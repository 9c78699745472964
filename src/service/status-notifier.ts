import type { ChatAdapter } from "../chat/chat-adapter.ts";
import { isRetryable } from "../errors.ts";
import type { Job } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { Logger } from "../logger.ts";
import { backoffDelay } from "../util/backoff.ts";

const maxRetries = 6;

/**
 * Shows each job's latest state on its platform, one call at a time per job and newest state
 * only: a burst of changes becomes at most one call in flight and one queued.
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
  #stopped = false;

  constructor(store: JobStore, adapters: ReadonlyMap<string, ChatAdapter>, logger: Logger) {
    this.#store = store;
    this.#adapters = adapters;
    this.#logger = logger;
  }

  notify(job: Job): void {
    if (this.#stopped || !this.#adapters.has(job.origin.platform)) return;
    const retry = this.#retries.get(job.id);
    if (retry) clearTimeout(retry.timer);
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
        this.notify(job);
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
