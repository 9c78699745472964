import type { Logger } from "../logger.ts";
import type { SharedInstance } from "./provider-follower.ts";

export const jobLeasePrefix = "job:";

/** A claim on one job's work: the fencing token its writes carry (undefined alone: nothing to fence). */
export interface Claim {
  fence: number | undefined;
  /**
   * Renews the lease now and says whether it is still this instance's: asked right before a step that cannot
   * be fenced (a post to a chat platform), so a holder whose lease lapsed under load leaves it to its successor.
   */
  confirm(): Promise<boolean>;
}

const unshared: Claim = { fence: undefined, confirm: async () => true };

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
  /** Job ids this instance holds the lease of, with their tokens and whether a renewal found it gone. */
  readonly #held = new Map<string, { token: number; lost: boolean }>();
  /** Job ids whose lease this instance is asking for now. */
  readonly #asking = new Set<string>();
  /** One timer renews every held job lease in one statement, however many jobs are under way. */
  #renewal: NodeJS.Timeout | undefined;

  constructor(shared: SharedInstance | undefined, logger: Logger) {
    this.#shared = shared;
    this.#logger = logger;
  }

  /** Runs `work` under the job's lease; undefined, without running it, while a peer holds it. */
  async run<T>(jobId: string, work: (claim: Claim) => Promise<T>): Promise<T | undefined> {
    const shared = this.#shared;
    if (!shared) return await work(unshared);
    // The lease is this instance's either way: the same work must not start twice in one process.
    if (this.holds(jobId)) return undefined;
    const { coordination, id, timings } = shared;
    const name = `${jobLeasePrefix}${jobId}`;
    this.#asking.add(jobId);
    const lease = await coordination
      .acquireLease(name, id, timings.ttlMs)
      .finally(() => this.#asking.delete(jobId));
    if (!lease) return undefined;
    const held = { token: lease.token, lost: false };
    this.#held.set(jobId, held);
    this.#startRenewing(shared);
    const confirm = async () => {
      if (held.lost) return false;
      const renewed = await coordination.renewLease(name, id, timings.ttlMs).catch(() => undefined);
      if (!renewed) this.#markLost(jobId);
      return !held.lost;
    };
    try {
      return await work({ fence: lease.token, confirm });
    } finally {
      this.#held.delete(jobId);
      if (this.#held.size === 0) this.#stopRenewing();
      await coordination
        .releaseLease(name, id)
        .catch((error: unknown) =>
          this.#logger.warn({ err: error, jobId }, "could not release a job lease"),
        );
    }
  }

  #startRenewing(shared: SharedInstance): void {
    if (this.#renewal) return;
    const { coordination, id, timings } = shared;
    this.#renewal = setInterval(() => {
      const jobIds = [...this.#held].filter(([, held]) => !held.lost).map(([jobId]) => jobId);
      const names = jobIds.map((jobId) => `${jobLeasePrefix}${jobId}`);
      coordination.renewLeases(names, id, timings.ttlMs).then(
        (renewed) => {
          const kept = new Set(renewed);
          for (const jobId of jobIds)
            if (!kept.has(`${jobLeasePrefix}${jobId}`)) this.#markLost(jobId);
        },
        (error: unknown) => this.#logger.warn({ err: error }, "could not renew the job leases"),
      );
    }, timings.renewMs);
    this.#renewal.unref();
  }

  #stopRenewing(): void {
    clearInterval(this.#renewal);
    this.#renewal = undefined;
  }

  #markLost(jobId: string): void {
    const held = this.#held.get(jobId);
    if (!held || held.lost) return;
    held.lost = true;
    this.#logger.warn({ jobId }, "lost the lease on a job's work");
  }

  /** Whether this instance is working on the job now. */
  holds(jobId: string): boolean {
    return this.#held.has(jobId) || this.#asking.has(jobId);
  }

  /** The job leases this instance holds (name#token), for /readyz. */
  heldLeases(): string[] {
    return [...this.#held].map(([jobId, { token }]) => `${jobLeasePrefix}${jobId}#${token}`);
  }
}
