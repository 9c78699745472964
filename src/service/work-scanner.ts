import type { Job, JobOrigin } from "../jobs/job.ts";
import type { Delivery } from "./delivery.ts";
import { type JobClaims, jobLeasePrefix } from "./job-claims.ts";
import type { SharedInstance } from "./provider-follower.ts";
import type { ServiceContext } from "./service-context.ts";
import { resolveUnknownOutcome } from "./submission.ts";

export interface WorkScannerParts {
  claims: JobClaims;
  delivery: Delivery;
  /** Starts a user's waiting jobs if they have room. */
  advance: (origin: Pick<JobOrigin, "platform" | "userId">) => Promise<void>;
  /** Applies provider events that came before the job's provider id was stored (by whichever instance). */
  replayEarlyUpdates: () => Promise<void>;
  shared: SharedInstance;
  intervalMs: number;
}

/**
 * On every instance sharing a database: every `intervalMs`, finds job work nobody holds a lease on — a dead
 * peer's, or a delivery retry that is due — and claims it. A create in flight on a dead peer is looked for at
 * the provider, never sent again; a video is delivered (after asking the platform whether it is already
 * there); users' waiting jobs start where there is room. A job a live peer holds is left alone. A job just
 * admitted (`submitting` for less than a lease's time to live) is its admitter's to send.
 */
export class WorkScanner {
  readonly #context: ServiceContext;
  readonly #parts: WorkScannerParts;
  readonly #work = new Set<Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #stopped = false;

  constructor(context: ServiceContext, parts: WorkScannerParts) {
    this.#context = context;
    this.#parts = parts;
  }

  /** Scans at once (start-up's recovery), then every `intervalMs`. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#scanAndSchedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#scanning;
    await Promise.allSettled([...this.#work]);
  }

  #scanAndSchedule(): Promise<void> {
    this.#scanning = this.scan()
      .catch((error: unknown) => this.#context.logger.warn({ err: error }, "work scan failed"))
      .finally(() => {
        this.#scanning = undefined;
        if (this.#stopped) return;
        this.#timer = setTimeout(() => void this.#scanAndSchedule(), this.#parts.intervalMs);
        this.#timer.unref();
      });
    return this.#scanning;
  }

  /** One pass: claims and starts every piece of work nobody holds. */
  async scan(): Promise<void> {
    const { store, now, logger } = this.#context;
    const { claims, delivery, shared } = this.#parts;
    await this.#parts.replayEarlyUpdates();
    const jobs = await store.listByStates(["submitting", "succeeded", "delivering"]);
    const leases = await shared.coordination.listLeases({ prefix: jobLeasePrefix });
    const held = new Set(leases.map((lease) => lease.name.slice(jobLeasePrefix.length)));
    const orphans = jobs.filter(
      (job) => !held.has(job.id) && !claims.holds(job.id) && !delivery.has(job.id),
    );
    const resumed: string[] = [];
    for (const job of orphans) {
      if (this.#stopped) return;
      if (job.state === "submitting") {
        if (now() - job.updatedAt < shared.timings.ttlMs) continue;
        this.#track(claims.run(job.id, (claim) => this.#resolve(job, claim.fence)));
      } else {
        if (job.state === "delivering" && (job.nextAttemptAt ?? 0) > now()) continue;
        delivery.start(job);
      }
      resumed.push(`${job.id} (${job.state})`);
    }
    if (resumed.length > 0) {
      logger.info(
        { count: resumed.length, jobs: resumed.slice(0, 20) },
        "took up job work nobody held",
      );
    }
    await this.#advanceWaiting();
  }

  async #resolve(listed: Job, fence: number | undefined): Promise<void> {
    const job = await this.#context.store.get(listed.id);
    if (job?.state === "submitting") await resolveUnknownOutcome(this.#context, job, fence);
  }

  async #advanceWaiting(): Promise<void> {
    const waiting = await this.#context.store.listByStates(["waiting"]);
    const users = new Map(
      waiting.map((job) => [`${job.origin.platform}:${job.origin.userId}`, job.origin]),
    );
    for (const origin of users.values()) await this.#parts.advance(origin);
  }

  #track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.#context.logger.error({ err: error }, "claimed work failed"))
      .finally(() => this.#work.delete(tracked));
    this.#work.add(tracked);
  }
}
