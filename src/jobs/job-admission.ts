import { billableSeconds } from "../domain/generation-request.ts";
import { activeStates, type Job, type JobOrigin, type JobState, type NewJob } from "./job.ts";

// Admission decided inside the store: the rules arrive as data, each store gathers the facts and writes the
// job under its own lock (PostgreSQL advisory locks, SQLite's write lock, the memory store's single turn), and
// the decisions below are shared so the stores cannot drift apart.

/** A job to admit; the store decides its state and queue position. */
export type JobCandidate = Omit<NewJob, "state" | "queuePosition">;

export interface AdmissionRules {
  /** The user's jobs at the provider (submitting, queued, running) at most; more wait in order. 0: no limit. */
  maxActiveJobsPerUser: number;
  /** Budgets count the jobs created at or after this time (ms): the start of the current day. */
  budgetsSince: number;
  /** Seconds of video one user may reserve since `budgetsSince`; undefined: no limit. */
  dailySecondsPerUser?: number | undefined;
  /** The same for the job's space (guild, workspace); jobs without a space have no space budget. */
  dailySecondsPerSpace?: number | undefined;
}

/** Why a job was not admitted, with the numbers the refusal message needs. */
export interface BudgetRefusal {
  budget: "user" | "space";
  /** Seconds the job would reserve. */
  needed: number;
  /** Seconds of the budget not yet reserved (never below 0). */
  left: number;
  limit: number;
}

export type Admission = { admitted: true; job: Job } | { admitted: false; refusal: BudgetRefusal };

/** Several takes of one request: all admitted together, in order, or none. */
export type Admissions =
  | { admitted: true; jobs: Job[] }
  | { admitted: false; refusal: BudgetRefusal };

/** The one job of an admission of one candidate (`admitAll([candidate])`), as `admit` answers. */
export function singleAdmission(admissions: Admissions): Admission {
  if (!admissions.admitted) return admissions;
  const [job] = admissions.jobs;
  if (job === undefined) throw new Error("An admission of one job stored none.");
  return { admitted: true, job };
}

/** What `advance` did: the jobs it started (now `submitting`) and the waiting jobs it renumbered. */
export interface Advanced {
  started: Job[];
  renumbered: Job[];
}

/** Failed and cancelled jobs give their reserved seconds back. */
export const budgetReleasedStates: readonly JobState[] = ["failed", "cancelled"];

/** What a job reserves against the daily budgets (auto duration counts as the longest). */
export function reservedSeconds(job: Pick<Job, "request" | "stitchOf">): number {
  // A stitch joins clips already paid for: it is free.
  return job.stitchOf ? 0 : billableSeconds(job.request);
}

/** Seconds the given jobs reserve, leaving out those that gave theirs back. */
export function spentSeconds(jobs: Iterable<Job>): number {
  let seconds = 0;
  for (const job of jobs)
    if (!budgetReleasedStates.includes(job.state)) seconds += reservedSeconds(job);
  return seconds;
}

/** What the store knows when it decides, read under its lock. */
export interface AdmissionFacts {
  /** Seconds the user reserved since `budgetsSince`. */
  userSeconds: number;
  /** Seconds the space reserved since `budgetsSince` (0 without a space). */
  spaceSeconds: number;
  /** The user's jobs in `activeStates` and in `waiting`. */
  active: number;
  waiting: number;
}

export function assertAdmissionRules(rules: AdmissionRules): void {
  if (!Number.isInteger(rules.maxActiveJobsPerUser) || rules.maxActiveJobsPerUser < 0) {
    throw new RangeError(
      `maxActiveJobsPerUser ${rules.maxActiveJobsPerUser} must be a whole number, 0 or more.`,
    );
  }
}

/** Which facts the rules need: none means the job is simply created in `submitting`. */
export function admissionNeeds(origin: JobOrigin, rules: AdmissionRules) {
  const queue = rules.maxActiveJobsPerUser > 0;
  const userBudget = rules.dailySecondsPerUser !== undefined;
  const spaceBudget = rules.dailySecondsPerSpace !== undefined && origin.spaceId !== undefined;
  return { user: queue || userBudget, space: spaceBudget };
}

export type Placement = { state: "submitting" } | { state: "waiting"; queuePosition: number };

/**
 * Admission of one job or several at once (the takes of one request): the user's budget is checked first,
 * then the space's, with their seconds together, or none is admitted; then each starts or waits its turn in
 * order, as if admitted one after another.
 */
export function decideAdmissions(
  candidates: readonly JobCandidate[],
  rules: AdmissionRules,
  facts: AdmissionFacts,
): { refusal: BudgetRefusal } | { placements: Placement[] } {
  const first = candidates[0];
  if (first === undefined) return { placements: [] };
  const needed = candidates.reduce((sum, candidate) => sum + reservedSeconds(candidate), 0);
  const budgets = [
    ["user", rules.dailySecondsPerUser, facts.userSeconds],
    [
      "space",
      first.origin.spaceId === undefined ? undefined : rules.dailySecondsPerSpace,
      facts.spaceSeconds,
    ],
  ] as const;
  for (const [budget, limit, spent] of budgets) {
    if (limit === undefined) continue;
    const left = Math.max(0, limit - spent);
    if (needed > left) return { refusal: { budget, needed, left, limit } };
  }
  const limit = rules.maxActiveJobsPerUser;
  let { active, waiting } = facts;
  const placements = candidates.map((): Placement => {
    if (limit <= 0 || (active < limit && waiting === 0)) {
      active++;
      return { state: "submitting" };
    }
    waiting++;
    return { state: "waiting", queuePosition: waiting };
  });
  return { placements };
}

/** The new job as the store writes it: the candidate in its placement. */
export function placedJob(candidate: JobCandidate, placement: Placement): NewJob {
  return { ...candidate, ...placement };
}

export interface AdvancePlan {
  start: Job[];
  renumber: { job: Job; queuePosition: number }[];
}

/** Starts the oldest waiting jobs while there is room, and numbers the rest 1, 2, … (only those that change). */
export function planAdvance(
  waiting: readonly Job[],
  active: number,
  maxActiveJobsPerUser: number,
): AdvancePlan {
  const free = maxActiveJobsPerUser <= 0 ? waiting.length : maxActiveJobsPerUser - active;
  const start = waiting.slice(0, Math.max(0, free));
  const renumber = waiting
    .slice(start.length)
    .map((job, index) => ({ job, queuePosition: index + 1 }))
    .filter(({ job, queuePosition }) => job.queuePosition !== queuePosition);
  return { start, renumber };
}

/** Counts a user's jobs for the queue from their jobs in active and waiting states. */
export function queueCounts(jobs: Iterable<Job>): { active: number; waiting: number } {
  let active = 0;
  let waiting = 0;
  for (const job of jobs) {
    if (job.state === "waiting") waiting++;
    else if (activeStates.includes(job.state)) active++;
  }
  return { active, waiting };
}

/** The transition that starts a waiting job, and the one that renumbers it. */
export const startWaiting = { from: ["waiting"], to: "submitting" } as const;
export function renumberWaiting(queuePosition: number) {
  return { from: ["waiting"], to: "waiting", patch: { queuePosition } } as const;
}
