import { activeStates, type Job, type JobOrigin, type JobState } from "./job.ts";
import {
  type Admission,
  type AdmissionRules,
  type Admissions,
  type Advanced,
  decideAdmissions,
  type JobCandidate,
  placedJob,
  planAdvance,
  queueCounts,
  renumberWaiting,
  singleAdmission,
  spentSeconds,
  startWaiting,
} from "./job-admission.ts";
import { jobFromRow } from "./job-row.ts";
import { initialJob, transitionedJob } from "./job-writes.ts";
import type { JobStatements } from "./sqlite-job-statements.ts";

export interface SqliteJobWrites {
  insertJob(job: Job): Job;
  /** Replaces `current` by `next` if the row is still exactly `current`. */
  replace(current: Job, next: Job): Job | undefined;
}

/** Admission and advance for the SQLite store; each runs inside the caller's BEGIN IMMEDIATE, synchronously. */
export function sqliteJobAdmission(
  statements: JobStatements,
  writes: SqliteJobWrites,
  now: () => number,
) {
  const { selectUserInStates, selectUserSince, selectSpaceSince } = statements;

  function userJobsInStates(platform: string, userId: string, states: readonly JobState[]): Job[] {
    return selectUserInStates.all(platform, userId, JSON.stringify(states)).map(jobFromRow);
  }

  return {
    /** Reads what the rules need, then inserts the job or refuses it. */
    admit(candidate: JobCandidate, rules: AdmissionRules, spaceBudget: boolean): Admission {
      return singleAdmission(this.admitAll([candidate], rules, spaceBudget));
    },

    /** The same for the takes of one request: all inserted, or none (the caller's transaction rolls back). */
    admitAll(
      candidates: readonly JobCandidate[],
      rules: AdmissionRules,
      spaceBudget: boolean,
    ): Admissions {
      const first = candidates[0];
      if (first === undefined) return { admitted: true, jobs: [] };
      const { platform, userId, spaceId } = first.origin;
      const since = rules.budgetsSince;
      const decision = decideAdmissions(candidates, rules, {
        userSeconds: spentSeconds(selectUserSince.all(platform, userId, since).map(jobFromRow)),
        spaceSeconds:
          spaceBudget && spaceId !== undefined
            ? spentSeconds(selectSpaceSince.all(platform, spaceId, since).map(jobFromRow))
            : 0,
        ...queueCounts(userJobsInStates(platform, userId, ["waiting", ...activeStates])),
      });
      if ("refusal" in decision) return { admitted: false, refusal: decision.refusal };
      const jobs = candidates.map((candidate, index) => {
        const placement = decision.placements[index] ?? { state: "submitting" as const };
        return writes.insertJob(initialJob(placedJob(candidate, placement)));
      });
      return { admitted: true, jobs };
    },

    /** No other writer can change the rows read here, so every write wins. */
    advance(user: Pick<JobOrigin, "platform" | "userId">, limit: number): Advanced {
      const mine = userJobsInStates(user.platform, user.userId, ["waiting", ...activeStates]);
      const waiting = mine.filter((job) => job.state === "waiting");
      const plan = planAdvance(waiting, queueCounts(mine).active, limit);
      const written = (job: Job | undefined): job is Job => job !== undefined;
      return {
        started: plan.start
          .map((job) => writes.replace(job, transitionedJob(job, startWaiting, now())))
          .filter(written),
        renumbered: plan.renumber
          .map(({ job, queuePosition }) =>
            writes.replace(job, transitionedJob(job, renumberWaiting(queuePosition), now())),
          )
          .filter(written),
      };
    },
  };
}
