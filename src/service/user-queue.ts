import { activeStates, type Job, type JobOrigin } from "../jobs/job.ts";
import { Serial } from "../util/serial.ts";
import type { ServiceContext } from "./service-context.ts";

export type Placement = { state: "submitting" } | { state: "waiting"; queuePosition: number };

/**
 * Each user has at most `maxJobsPerUser` jobs at the provider; more wait their turn, in order, with
 * their position shown. Placement and promotion run one at a time, so the limit holds under bursts.
 */
export class UserQueue {
  readonly #context: ServiceContext;
  readonly #serial = new Serial();

  constructor(context: ServiceContext) {
    this.#context = context;
  }

  /** Decides how a new job starts and creates it, both inside the queue's turn. */
  enqueue(origin: JobOrigin, create: (placement: Placement) => Promise<Job>): Promise<Job> {
    return this.#serial.run(async () => {
      const limit = this.#context.settings.maxJobsPerUser;
      if (limit <= 0) return await create({ state: "submitting" });
      const { active, waiting } = await this.#jobsOf(origin);
      return await create(
        active.length < limit && waiting.length === 0
          ? { state: "submitting" }
          : { state: "waiting", queuePosition: waiting.length + 1 },
      );
    });
  }

  /** A job of this user left the provider: starts their next waiting jobs and renumbers the rest. */
  advance(origin: Pick<JobOrigin, "platform" | "userId">): Promise<Job[]> {
    return this.#serial.run(async () => {
      const { store, settings } = this.#context;
      const waiting = await store.listByUserInStates(origin.platform, origin.userId, ["waiting"]);
      // The common case costs one indexed lookup: nobody is waiting.
      if (waiting.length === 0) return [];
      const active = await store.listByUserInStates(origin.platform, origin.userId, activeStates);
      const free =
        settings.maxJobsPerUser <= 0 ? waiting.length : settings.maxJobsPerUser - active.length;
      const started: Job[] = [];
      let position = 0;
      for (const job of waiting) {
        if (started.length < free) {
          const next = await store.transition(job.id, { from: ["waiting"], to: "submitting" });
          if (next) started.push(next);
          continue;
        }
        position++;
        if (job.queuePosition === position) continue;
        const renumbered = await store.transition(job.id, {
          from: ["waiting"],
          to: "waiting",
          patch: { queuePosition: position },
        });
        if (renumbered) this.#context.changed(renumbered);
      }
      return started;
    });
  }

  async #jobsOf(origin: Pick<JobOrigin, "platform" | "userId">) {
    const { store } = this.#context;
    const active = await store.listByUserInStates(origin.platform, origin.userId, activeStates);
    const waiting = await store.listByUserInStates(origin.platform, origin.userId, ["waiting"]);
    return { active, waiting };
  }
}
