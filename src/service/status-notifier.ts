import type { ChatAdapter } from "../chat/chat-adapter.ts";
import type { Job } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { Logger } from "../logger.ts";

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

  constructor(store: JobStore, adapters: ReadonlyMap<string, ChatAdapter>, logger: Logger) {
    this.#store = store;
    this.#adapters = adapters;
    this.#logger = logger;
  }

  notify(job: Job): void {
    if (!this.#adapters.has(job.origin.platform)) return;
    this.#latest.set(job.id, job);
    if (!this.#running.has(job.id)) {
      const run = this.#drain(job.id).finally(() => {
        this.#running.delete(job.id);
        this.#cardIds.delete(job.id);
      });
      this.#running.set(job.id, run);
    }
  }

  /** Resolves once every status call queued so far has finished. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
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
      } catch (error) {
        this.#logger.warn({ err: error, jobId, state: job.state }, "status update failed");
      }
    }
  }

  async #remember(jobId: string, statusMessageId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.#store.get(jobId);
      if (!current || current.statusMessageId === statusMessageId) return;
      if (await this.#store.update(jobId, { statusMessageId }, current.version)) return;
    }
  }
}
