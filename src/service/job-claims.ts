import type { Logger } from "../logger.ts";
import type { SharedInstance } from "./provider-follower.ts";

export const jobLeasePrefix = "job:";

/** A claim on one job's work: the fencing token its writes carry (undefined alone: nothing to fence). */
export interface Claim {
  fence: number | undefined;
}

/**
 * Every piece of job work (submit, download, deliver, retry) runs under a per-job lease, `job:<id>`, renewed
 * while the work runs and released when it ends. A peer that holds the lease does the work instead; a dead
 * peer's lease lapses and any instance's scan takes the work over. Writes carry the lease's fencing token,
 * so a holder that lost its lease (a long pause) cannot overwrite its successor's. Alone (the embedded
 * store), there is nobody to share with: work runs at once, unfenced.
 */
export class JobClaims {
  readonly #shared: SharedInstance | undefined;
  readonly #logger: Logger;
  /** Job ids this instance holds the lease of, with their tokens. */
  readonly #held = new Map<string, number>();
  /** Job ids whose lease this instance is asking for now. */
  readonly #asking = new Set<string>();

  constructor(shared: SharedInstance | undefined, logger: Logger) {
    this.#shared = shared;
    this.#logger = logger;
  }

  /** Runs `work` under the job's lease; undefined, without running it, while a peer holds it. */
  async run<T>(jobId: string, work: (claim: Claim) => Promise<T>): Promise<T | undefined> {
    const shared = this.#shared;
    if (!shared) return await work({ fence: undefined });
    // The lease is this instance's either way: the same work must not start twice in one process.
    if (this.holds(jobId)) return undefined;
    const { coordination, id, timings } = shared;
    const name = `${jobLeasePrefix}${jobId}`;
    this.#asking.add(jobId);
    const lease = await coordination
      .acquireLease(name, id, timings.ttlMs)
      .finally(() => this.#asking.delete(jobId));
    if (!lease) return undefined;
    this.#held.set(jobId, lease.token);
    const renewal = setInterval(() => {
      coordination.renewLease(name, id, timings.ttlMs).then(
        (renewed) => {
          if (!renewed) this.#logger.warn({ jobId }, "lost the lease on a job's work");
        },
        (error: unknown) => this.#logger.warn({ err: error, jobId }, "could not renew a job lease"),
      );
    }, timings.renewMs);
    renewal.unref();
    try {
      return await work({ fence: lease.token });
    } finally {
      clearInterval(renewal);
      this.#held.delete(jobId);
      await coordination
        .releaseLease(name, id)
        .catch((error: unknown) =>
          this.#logger.warn({ err: error, jobId }, "could not release a job lease"),
        );
    }
  }

  /** Whether this instance is working on the job now. */
  holds(jobId: string): boolean {
    return this.#held.has(jobId) || this.#asking.has(jobId);
  }

  /** The job leases this instance holds (name#token), for /readyz. */
  heldLeases(): string[] {
    return [...this.#held].map(([jobId, token]) => `${jobLeasePrefix}${jobId}#${token}`);
  }
}
