import type { Job, JobState } from "../jobs/job.ts";
import type { ProviderUpdate } from "../providers/generation-provider.ts";
import { describeProviderFailure } from "./failure-messages.ts";
import type { ServiceContext } from "./service-context.ts";

const maxEarlyUpdates = 1_000;

/**
 * Applies provider updates to jobs. Every write is a compare-and-set from the states the update may
 * follow, so duplicate, late or out-of-order events change nothing.
 */
export class JobUpdates {
  readonly #context: ServiceContext;
  readonly #onSucceeded: (job: Job) => void;
  /** Updates that raced ahead of the create call's response (the job has no provider id yet). */
  readonly #early = new Map<string, ProviderUpdate>();

  constructor(context: ServiceContext, onSucceeded: (job: Job) => void) {
    this.#context = context;
    this.#onSucceeded = onSucceeded;
  }

  async apply(update: ProviderUpdate): Promise<void> {
    const { store, provider } = this.#context;
    const job = await store.findByProviderJobId(provider.name, update.providerJobId);
    if (!job) {
      this.#remember(update);
      return;
    }
    await this.applyTo(job, update);
  }

  /** Replays an update that arrived before the job learned its provider id. */
  async replayEarly(job: Job): Promise<void> {
    const update = job.providerJobId ? this.#early.get(job.providerJobId) : undefined;
    if (!update) return;
    this.#early.delete(update.providerJobId);
    await this.applyTo(job, update);
  }

  /**
   * Replays remembered updates whose job now has its provider id: sharing a database, another instance may
   * have sent the job, and its create call's answer reached the store after the event reached this follower.
   */
  async replayRemembered(): Promise<void> {
    const { store, provider } = this.#context;
    for (const [providerJobId, update] of [...this.#early]) {
      const job = await store.findByProviderJobId(provider.name, providerJobId);
      if (!job) continue;
      this.#early.delete(providerJobId);
      await this.applyTo(job, update);
    }
  }

  async applyTo(job: Job, update: ProviderUpdate): Promise<void> {
    const { store, now } = this.#context;
    const pending: JobState[] = ["submitting", "queued", "running"];
    if (!pending.includes(job.state)) return;
    let next: Job | undefined;
    switch (update.state) {
      case "queued":
      case "running": {
        const to = job.state === "running" ? "running" : update.state;
        if (to === job.state && (update.progress === undefined || update.progress === job.progress))
          return;
        next = await store.transition(job.id, {
          from: [job.state],
          to,
          patch: { ...(update.progress === undefined ? {} : { progress: update.progress }) },
        });
        break;
      }
      case "succeeded":
        next = await store.transition(job.id, {
          from: pending,
          to: "succeeded",
          patch: {
            completedAt: now(),
            progress: 100,
            ...(update.resultUrl ? { resultUrl: update.resultUrl } : {}),
            ...(update.lastFrameUrl ? { lastFrameUrl: update.lastFrameUrl } : {}),
          },
        });
        break;
      case "failed":
        next = await store.transition(job.id, {
          from: pending,
          to: "failed",
          patch: { completedAt: now(), error: describeProviderFailure(update.error) },
        });
        break;
      case "cancelled":
        next = await store.transition(job.id, {
          from: pending,
          to: "cancelled",
          patch: { completedAt: now(), error: update.error ?? "Cancelled at the provider." },
        });
        break;
    }
    if (!next) return;
    this.#context.changed(next);
    if (next.state === "succeeded") this.#onSucceeded(next);
  }

  #remember(update: ProviderUpdate): void {
    if (this.#early.size >= maxEarlyUpdates) {
      const oldest = this.#early.keys().next().value;
      if (oldest !== undefined) this.#early.delete(oldest);
    }
    this.#early.set(update.providerJobId, update);
  }
}
