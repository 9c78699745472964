import type { Job } from "../jobs/job.ts";
import type { PendingJobRef } from "../providers/generation-provider.ts";
import type { JobUpdates } from "./job-updates.ts";
import type { ServiceContext } from "./service-context.ts";

/**
 * The safety net under the event stream: on every (re)connect and every `sweepIntervalMs` while jobs
 * are pending, asks the provider about all of them at once. Idle when nothing is pending.
 */
export class Sweep {
  readonly #context: ServiceContext;
  readonly #updates: JobUpdates;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  /** Only the instance that follows the provider sweeps; the others are paused. */
  #paused = false;
  /** Sweeps on schedule even when nothing is pending here: other instances may have sent jobs. */
  readonly #keepArmed: boolean;

  constructor(context: ServiceContext, updates: JobUpdates, options: { keepArmed?: boolean } = {}) {
    this.#context = context;
    this.#updates = updates;
    this.#keepArmed = options.keepArmed ?? false;
  }

  /** Stops sweeping (another instance follows the provider); a sweep under way finishes. */
  pause(): void {
    this.#paused = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  resume(): void {
    this.#paused = false;
  }

  /** Makes sure a sweep is scheduled (called when a job becomes pending). */
  arm(): void {
    if (this.#stopped || this.#paused || this.#timer || this.#running) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.run();
    }, this.#context.settings.sweepIntervalMs);
    this.#timer.unref();
  }

  /** Sweeps now; a request during a sweep runs one more right after it. */
  run(): Promise<void> {
    if (this.#paused) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#sweep()
      .catch((error: unknown) => {
        this.#context.logger.warn({ err: error }, "sweep failed");
        return true;
      })
      .then((pendingRemain) => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          void this.run();
        } else if (pendingRemain || this.#keepArmed) {
          this.arm();
        }
      });
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Resolves to whether jobs were pending (so another sweep should follow). */
  async #sweep(): Promise<boolean> {
    const { store, provider } = this.#context;
    const pending = await store.listByStates(["queued", "running"]);
    if (pending.length === 0 || this.#stopped) return false;
    const byProviderId = new Map<string, Job>();
    const references: PendingJobRef[] = [];
    for (const job of pending) {
      if (job.provider !== provider.name || !job.providerJobId) continue;
      byProviderId.set(job.providerJobId, job);
      references.push({
        providerJobId: job.providerJobId,
        state: job.state === "running" ? "running" : "queued",
      });
    }
    try {
      const updates = await provider.reconcile(references);
      for (const update of updates) {
        const job = byProviderId.get(update.providerJobId);
        if (job) await this.#updates.applyTo(job, update);
      }
    } finally {
      await this.#expire(pending);
    }
    return true;
  }

  /** Cancels, at the provider, jobs that have been pending for longer than `jobTimeoutMs`. */
  async #expire(pending: readonly Job[]): Promise<void> {
    const { store, provider, settings, now, logger } = this.#context;
    const minutes = Math.round(settings.jobTimeoutMs / 60_000);
    for (const job of pending) {
      if (now() - (job.submittedAt ?? job.createdAt) <= settings.jobTimeoutMs) continue;
      const current = await store.get(job.id);
      if (!current || (current.state !== "queued" && current.state !== "running")) continue;
      if (current.providerJobId) {
        await provider.cancel(current.providerJobId).catch((error: unknown) => {
          logger.warn({ jobId: job.id, err: error }, "could not cancel a timed-out job");
        });
      }
      const failed = await store.transition(job.id, {
        from: ["queued", "running"],
        to: "failed",
        patch: {
          completedAt: now(),
          error: `The provider took longer than ${minutes} minutes, so the job was cancelled there. Press 🔁 to try again.`,
        },
      });
      if (failed) this.#context.changed(failed);
    }
  }
}
