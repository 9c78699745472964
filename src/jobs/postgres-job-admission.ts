import {
  advisoryLockKey,
  type PostgresDatabase,
  type Query,
} from "../postgres/postgres-database.ts";
import { activeStates, type Job, type JobOrigin } from "./job.ts";
import {
  type Admission,
  type AdmissionFacts,
  type AdmissionRules,
  type Admissions,
  type Advanced,
  admissionNeeds,
  budgetReleasedStates,
  decideAdmissions,
  type JobCandidate,
  placedJob,
  planAdvance,
  renumberWaiting,
  singleAdmission,
  startWaiting,
} from "./job-admission.ts";
import { jobFromRow } from "./job-row.ts";
import { initialJob, transitionedJob } from "./job-writes.ts";
import { jobQueries as sql } from "./postgres-job-queries.ts";

export interface PostgresJobWrites {
  insertJob(query: Query, job: Job): Promise<Job>;
  replace(query: Query, current: Job, next: Job): Promise<Job | undefined>;
}

/**
 * BEGIN and the advisory locks in one round trip (no parameters: the keys are integers computed here).
 * Keys are taken in ascending order, so two transactions needing the same two never wait on each other.
 */
function beginLocked(names: readonly string[]): string {
  const keys = names
    .map(advisoryLockKey)
    .toSorted((first, second) => (BigInt(first) < BigInt(second) ? -1 : 1));
  return `BEGIN; SELECT ${keys.map((key) => `pg_advisory_xact_lock(${key})`).join(", ")}`;
}

const userLock = (platform: string, userId: string) => `jobs: user\u0000${platform}\u0000${userId}`;
const spaceLock = (platform: string, spaceId: string) =>
  `jobs: space\u0000${platform}\u0000${spaceId}`;

interface FactsRow {
  user_seconds: number;
  space_seconds: number;
  active: number;
  waiting: number;
}

/**
 * Admission and advance on PostgreSQL. Under READ COMMITTED each statement sees what the previous holder of
 * the same lock committed, so the facts read after the locks are current; writes that only free room (a job
 * failing, finishing or cancelled) take no lock, and can only make a decision more cautious than needed.
 */
export function postgresJobAdmission(
  database: PostgresDatabase,
  writes: PostgresJobWrites,
  now: () => number,
) {
  return {
    async admit(candidate: JobCandidate, rules: AdmissionRules): Promise<Admission> {
      const needs = admissionNeeds(candidate.origin, rules);
      if (!needs.user && !needs.space) {
        const job = initialJob(placedJob(candidate, { state: "submitting" }));
        return { admitted: true, job: await writes.insertJob(database.query, job) };
      }
      return singleAdmission(await this.admitAll([candidate], rules));
    },

    /** The takes of one request, in one transaction: all inserted, or none. */
    async admitAll(
      candidates: readonly JobCandidate[],
      rules: AdmissionRules,
    ): Promise<Admissions> {
      const first = candidates[0];
      if (first === undefined) return { admitted: true, jobs: [] };
      return database.transaction(
        async (query) => {
          const facts = await admissionFacts(query, first.origin, rules);
          const decision = decideAdmissions(candidates, rules, facts);
          if ("refusal" in decision) return { admitted: false, refusal: decision.refusal };
          const jobs: Job[] = [];
          for (const [index, candidate] of candidates.entries()) {
            const placement = decision.placements[index] ?? { state: "submitting" as const };
            jobs.push(await writes.insertJob(query, initialJob(placedJob(candidate, placement))));
          }
          return { admitted: true, jobs };
        },
        beginLocked(admissionLocks(first.origin, rules)),
      );
    },

    async advance(user: Pick<JobOrigin, "platform" | "userId">, limit: number): Promise<Advanced> {
      return database.transaction(
        async (query) => {
          const { rows } = await query<{ active: number }>(sql.waitingForAdvance, [
            user.platform,
            user.userId,
            activeStates,
          ]);
          if (rows.length === 0) return { started: [], renumbered: [] };
          const waiting = rows.map(jobFromRow);
          const plan = planAdvance(waiting, rows[0]?.active ?? 0, limit);
          const started: Job[] = [];
          const renumbered: Job[] = [];
          // The rows are locked (FOR UPDATE) and the user's lock is held: these writes cannot lose.
          for (const job of plan.start) {
            const next = await writes.replace(
              query,
              job,
              transitionedJob(job, startWaiting, now()),
            );
            if (next) started.push(next);
          }
          for (const { job, queuePosition } of plan.renumber) {
            const next = transitionedJob(job, renumberWaiting(queuePosition), now());
            const written = await writes.replace(query, job, next);
            if (written) renumbered.push(written);
          }
          return { started, renumbered };
        },
        beginLocked([userLock(user.platform, user.userId)]),
      );
    },
  };
}

/** The user's lock, and the space's when its budget counts: admissions of one user or space queue up. */
function admissionLocks(origin: JobOrigin, rules: AdmissionRules) {
  const { platform, userId, spaceId } = origin;
  const locks = [userLock(platform, userId)];
  if (admissionNeeds(origin, rules).space && spaceId !== undefined) {
    locks.push(spaceLock(platform, spaceId));
  }
  return locks;
}

/** What admission decides on, read under the locks: seconds spent today, and the user's queue. */
async function admissionFacts(
  query: Query,
  origin: JobOrigin,
  rules: AdmissionRules,
): Promise<AdmissionFacts> {
  const needs = admissionNeeds(origin, rules);
  const { rows } = await query<FactsRow>(sql.admissionFacts, [
    origin.platform,
    origin.userId,
    needs.space ? (origin.spaceId ?? null) : null,
    rules.budgetsSince,
    budgetReleasedStates,
    activeStates,
  ]);
  const row = rows[0];
  if (row === undefined) throw new Error("The admission facts query returned no row.");
  return {
    userSeconds: row.user_seconds,
    spaceSeconds: row.space_seconds,
    active: row.active,
    waiting: row.waiting,
  };
}
