import pg from "pg";
import {
  openPostgresDatabase,
  type PostgresDatabase,
  type Query,
} from "../postgres/postgres-database.ts";
import { migratePostgres } from "../postgres/postgres-migrations.ts";
import type { Job, JobOrigin, JobPatch, JobState, NewJob } from "./job.ts";
import {
  type Admission,
  type AdmissionRules,
  type Admissions,
  type Advanced,
  assertAdmissionRules,
  type JobCandidate,
  reservedSeconds,
} from "./job-admission.ts";
import { jobFromRow } from "./job-row.ts";
import type { CreatedSinceFilter, JobStore, TransitionOptions } from "./job-store.ts";
import {
  assertListLimit,
  assertTransitionPossible,
  closedStoreError,
  duplicateJobError,
  duplicateProviderJobError,
  initialJob,
  patchedJob,
  serializeJob,
  transitionedJob,
  transitionMatches,
} from "./job-writes.ts";
import { postgresJobAdmission } from "./postgres-job-admission.ts";
import { jobQueries as sql, uniqueViolation } from "./postgres-job-queries.ts";
import { jobMigrations } from "./postgres-job-schema.ts";

export type PostgresJobStoreOptions = (
  | { url: string; poolSize: number }
  /** A pool shared with other stores; the job store does not end it on close. */
  | { database: PostgresDatabase }
) & {
  /** The clock for `updatedAt`; defaults to `Date.now`. */
  now?: () => number;
};

function isProviderJobConflict(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === uniqueViolation;
}

/**
 * A JobStore on PostgreSQL, shared by any number of instances. Every write reads the row, applies the rules of
 * job-writes.ts and writes it back with a compare-and-set on id, state and version; admission and advance run
 * in transactions under advisory locks on the user (and space).
 */
export async function openPostgresJobStore(options: PostgresJobStoreOptions): Promise<JobStore> {
  const now = options.now ?? (() => Date.now());
  const owned = "url" in options;
  const database = owned
    ? openPostgresDatabase({ url: options.url, poolSize: options.poolSize })
    : options.database;
  try {
    await migratePostgres(database, jobMigrations);
  } catch (error) {
    if (owned) await database.end();
    throw error;
  }
  let closed = false;

  function assertOpen(): void {
    if (closed) throw closedStoreError();
  }

  async function select(query: Query, text: string, values: readonly unknown[]): Promise<Job[]> {
    return (await query(text, values)).rows.map(jobFromRow);
  }

  async function read(id: string): Promise<Job | undefined> {
    return (await select(database.query, sql.byId, [id]))[0];
  }

  async function insertJob(query: Query, job: Job): Promise<Job> {
    let inserted: number | null;
    try {
      ({ rowCount: inserted } = await query(sql.insert, [
        job.id,
        job.origin.platform,
        job.origin.userId,
        job.origin.spaceId ?? null,
        job.state,
        job.provider,
        job.providerJobId ?? null,
        job.createdAt,
        job.updatedAt,
        job.version,
        reservedSeconds(job),
        serializeJob(job),
      ]));
    } catch (error) {
      throw isProviderJobConflict(error) ? duplicateProviderJobError(job, error) : error;
    }
    if (inserted !== 1) throw duplicateJobError(job.id);
    return job;
  }

  /** Replaces `current` by `next` if the row is still exactly `current`. */
  async function replace(query: Query, current: Job, next: Job): Promise<Job | undefined> {
    try {
      const { rowCount } = await query(sql.compareAndSet, [
        current.id,
        current.state,
        current.version,
        next.state,
        next.providerJobId ?? null,
        next.updatedAt,
        next.version,
        serializeJob(next),
      ]);
      return rowCount === 1 ? next : undefined;
    } catch (error) {
      throw isProviderJobConflict(error) ? duplicateProviderJobError(next, error) : error;
    }
  }

  const admission = postgresJobAdmission(database, { insertJob, replace }, now);

  return {
    async create(newJob: NewJob): Promise<Job> {
      assertOpen();
      return insertJob(database.query, initialJob(newJob));
    },

    async admit(candidate: JobCandidate, rules: AdmissionRules): Promise<Admission> {
      assertOpen();
      assertAdmissionRules(rules);
      return admission.admit(candidate, rules);
    },

    async admitAll(
      candidates: readonly JobCandidate[],
      rules: AdmissionRules,
    ): Promise<Admissions> {
      assertOpen();
      assertAdmissionRules(rules);
      return admission.admitAll(candidates, rules);
    },

    async advance(user: Pick<JobOrigin, "platform" | "userId">, limit: number): Promise<Advanced> {
      assertOpen();
      return admission.advance(user, limit);
    },

    async get(id: string): Promise<Job | undefined> {
      assertOpen();
      return read(id);
    },

    async findByProviderJobId(provider: string, providerJobId: string): Promise<Job | undefined> {
      assertOpen();
      return (await select(database.query, sql.byProviderJob, [provider, providerJobId]))[0];
    },

    async transition(id: string, transition: TransitionOptions): Promise<Job | undefined> {
      assertOpen();
      assertTransitionPossible(transition);
      // A concurrent write of another field (a status card's id, say) must not make a move from a state the
      // job is still in lose: read again and retry while the job still matches.
      for (;;) {
        const current = await read(id);
        if (current === undefined || !transitionMatches(current, transition)) return undefined;
        const next = await replace(
          database.query,
          current,
          transitionedJob(current, transition, now()),
        );
        if (next) return next;
      }
    },

    async update(id: string, patch: JobPatch, expectedVersion: number): Promise<Job | undefined> {
      assertOpen();
      const current = await read(id);
      if (current === undefined || current.version !== expectedVersion) return undefined;
      return replace(database.query, current, patchedJob(current, patch, now()));
    },

    async listByStates(states: readonly JobState[]): Promise<Job[]> {
      assertOpen();
      return select(database.query, sql.byStates, [states]);
    },

    async listByUser(platform: string, userId: string, limit: number): Promise<Job[]> {
      assertOpen();
      assertListLimit(limit);
      return select(database.query, sql.byUser, [platform, userId, limit]);
    },

    async listByUserInStates(
      platform: string,
      userId: string,
      states: readonly JobState[],
    ): Promise<Job[]> {
      assertOpen();
      return select(database.query, sql.byUserInStates, [platform, userId, states]);
    },

    async listCreatedSince(filter: CreatedSinceFilter, since: number): Promise<Job[]> {
      assertOpen();
      return filter.userId === undefined
        ? select(database.query, sql.spaceSince, [filter.platform, filter.spaceId, since])
        : select(database.query, sql.userSince, [filter.platform, filter.userId, since]);
    },

    isHealthy(): boolean {
      return !closed && database.isHealthy();
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) await database.end();
    },
  };
}
