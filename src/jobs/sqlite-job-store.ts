import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Job, JobOrigin, JobPatch, JobState, NewJob } from "./job.ts";
import {
  type Admission,
  type AdmissionRules,
  type Admissions,
  type Advanced,
  admissionNeeds,
  assertAdmissionRules,
  type JobCandidate,
  placedJob,
} from "./job-admission.ts";
import { isUniqueConstraintError, jobFromRow } from "./job-row.ts";
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
import { loadNodeSqlite } from "./load-node-sqlite.ts";
import { sqliteJobAdmission } from "./sqlite-job-admission.ts";
import { configureConnection, migrate } from "./sqlite-job-schema.ts";
import { prepareJobStatements } from "./sqlite-job-statements.ts";

export interface SqliteJobStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  /** The clock for `updatedAt`; defaults to `Date.now`. */
  now?: () => number;
}

/** A JobStore in one SQLite file; several processes may share the file, and each write is a compare-and-set. */
export function openSqliteJobStore(options: SqliteJobStoreOptions): JobStore {
  const { path } = options;
  const now = options.now ?? (() => Date.now());
  mkdirSync(dirname(path), { recursive: true });
  const { DatabaseSync } = loadNodeSqlite();
  const database = new DatabaseSync(path);
  try {
    configureConnection(database, path);
    migrate(database, path);
  } catch (error) {
    database.close();
    throw error;
  }

  const statements = prepareJobStatements(database);
  const {
    insert,
    selectById,
    selectByProviderJob,
    selectByStates,
    selectByUser,
    selectUserInStates,
    selectUserSince,
    selectSpaceSince,
    compareAndSet,
  } = statements;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw closedStoreError();
  }

  function read(id: string): Job | undefined {
    const row = selectById.get(id);
    return row === undefined ? undefined : jobFromRow(row);
  }

  /** BEGIN IMMEDIATE takes the write lock before reading, so no other connection can change the row in between. */
  function writeTransaction<T>(work: () => T): T {
    database.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      database.exec("COMMIT");
      return result;
    } catch (error) {
      if (database.isTransaction) database.exec("ROLLBACK");
      throw error;
    }
  }

  /** Replaces `current` by `next` if the row is still exactly `current`. */
  function replace(current: Job, next: Job): Job | undefined {
    try {
      const { changes } = compareAndSet.run({
        id: current.id,
        expectedState: current.state,
        expectedVersion: current.version,
        state: next.state,
        providerJobId: next.providerJobId ?? null,
        updatedAt: next.updatedAt,
        version: next.version,
        document: serializeJob(next),
      });
      return Number(changes) === 1 ? next : undefined;
    } catch (error) {
      throw isUniqueConstraintError(error) ? duplicateProviderJobError(next, error) : error;
    }
  }

  function insertJob(job: Job): Job {
    let changes: number | bigint;
    try {
      ({ changes } = insert.run({
        id: job.id,
        platform: job.origin.platform,
        userId: job.origin.userId,
        state: job.state,
        provider: job.provider,
        providerJobId: job.providerJobId ?? null,
        createdAt: job.createdAt,
        updatedAt: job.updatedAt,
        version: job.version,
        document: serializeJob(job),
      }));
    } catch (error) {
      throw isUniqueConstraintError(error) ? duplicateProviderJobError(job, error) : error;
    }
    if (Number(changes) !== 1) throw duplicateJobError(job.id);
    return job;
  }

  const admission = sqliteJobAdmission(statements, { insertJob, replace }, now);

  return {
    async create(newJob: NewJob): Promise<Job> {
      assertOpen();
      return insertJob(initialJob(newJob));
    },

    async admit(candidate: JobCandidate, rules: AdmissionRules): Promise<Admission> {
      assertOpen();
      assertAdmissionRules(rules);
      const needs = admissionNeeds(candidate.origin, rules);
      if (!needs.user && !needs.space) {
        return {
          admitted: true,
          job: insertJob(initialJob(placedJob(candidate, { state: "submitting" }))),
        };
      }
      return writeTransaction(() => admission.admit(candidate, rules, needs.space));
    },

    async admitAll(
      candidates: readonly JobCandidate[],
      rules: AdmissionRules,
    ): Promise<Admissions> {
      assertOpen();
      assertAdmissionRules(rules);
      const first = candidates[0];
      const space = first !== undefined && admissionNeeds(first.origin, rules).space;
      // Always in one transaction, so a duplicate id or a crash stores none of the takes.
      return writeTransaction(() => admission.admitAll(candidates, rules, space));
    },

    async advance(user: Pick<JobOrigin, "platform" | "userId">, limit: number): Promise<Advanced> {
      assertOpen();
      // Without the write lock first: a job admitted as waiting committed before the write that freed a slot,
      // since SQLite has one writer at a time, so this read (after that write) sees it.
      const waiting = selectUserInStates.all(
        user.platform,
        user.userId,
        JSON.stringify(["waiting"]),
      );
      if (waiting.length === 0) return { started: [], renumbered: [] };
      return writeTransaction(() => admission.advance(user, limit));
    },

    async get(id: string): Promise<Job | undefined> {
      assertOpen();
      return read(id);
    },

    async findByProviderJobId(provider: string, providerJobId: string): Promise<Job | undefined> {
      assertOpen();
      const row = selectByProviderJob.get(provider, providerJobId);
      return row === undefined ? undefined : jobFromRow(row);
    },

    async transition(id: string, transition: TransitionOptions): Promise<Job | undefined> {
      assertOpen();
      assertTransitionPossible(transition);
      return writeTransaction(() => {
        const current = read(id);
        if (current === undefined || !transitionMatches(current, transition)) return undefined;
        return replace(current, transitionedJob(current, transition, now()));
      });
    },

    async update(id: string, patch: JobPatch, expectedVersion: number): Promise<Job | undefined> {
      assertOpen();
      return writeTransaction(() => {
        const current = read(id);
        if (current === undefined || current.version !== expectedVersion) return undefined;
        return replace(current, patchedJob(current, patch, now()));
      });
    },

    async listByStates(states: readonly JobState[]): Promise<Job[]> {
      assertOpen();
      return selectByStates.all(JSON.stringify(states)).map(jobFromRow);
    },

    async listByUser(platform: string, userId: string, limit: number): Promise<Job[]> {
      assertOpen();
      assertListLimit(limit);
      return selectByUser.all(platform, userId, limit).map(jobFromRow);
    },

    async listByUserInStates(
      platform: string,
      userId: string,
      states: readonly JobState[],
    ): Promise<Job[]> {
      assertOpen();
      return selectUserInStates.all(platform, userId, JSON.stringify(states)).map(jobFromRow);
    },

    async listCreatedSince(filter: CreatedSinceFilter, since: number): Promise<Job[]> {
      assertOpen();
      const rows =
        filter.userId === undefined
          ? selectSpaceSince.all(filter.platform, filter.spaceId, since)
          : selectUserSince.all(filter.platform, filter.userId, since);
      return rows.map(jobFromRow);
    },

    isHealthy(): boolean {
      return !closed && database.isOpen;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
