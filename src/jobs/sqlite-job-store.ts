import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Job, JobPatch, JobState, NewJob } from "./job.ts";
import { isUniqueConstraintError, jobColumns, jobFromRow } from "./job-row.ts";
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
import { configureConnection, migrate } from "./sqlite-job-schema.ts";

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

  const insert = database.prepare(
    `INSERT INTO jobs (id, platform, user_id, state, provider, provider_job_id, created_at, updated_at, version, document)
     VALUES (:id, :platform, :userId, :state, :provider, :providerJobId, :createdAt, :updatedAt, :version, :document)
     ON CONFLICT (id) DO NOTHING`,
  );
  const selectById = database.prepare(`SELECT ${jobColumns} FROM jobs WHERE id = ?`);
  const selectByProviderJob = database.prepare(
    `SELECT ${jobColumns} FROM jobs WHERE provider = ? AND provider_job_id = ?`,
  );
  // The states arrive as one JSON array so the statement is prepared once for any number of them.
  const selectByStates = database.prepare(
    `SELECT ${jobColumns} FROM jobs WHERE state IN (SELECT value FROM json_each(?))
     ORDER BY created_at, rowid`,
  );
  const selectByUser = database.prepare(
    `SELECT ${jobColumns} FROM jobs WHERE platform = ? AND user_id = ?
     ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const selectUserInStates = database.prepare(
    // Without the hint SQLite prefers jobs_by_user and reads every row of a busy user.
    `SELECT ${jobColumns} FROM jobs INDEXED BY jobs_by_user_state
     WHERE platform = ? AND user_id = ? AND state IN (SELECT value FROM json_each(?))
     ORDER BY created_at, rowid`,
  );
  const selectUserSince = database.prepare(
    `SELECT ${jobColumns} FROM jobs WHERE platform = ? AND user_id = ? AND created_at >= ?
     ORDER BY created_at, rowid`,
  );
  const selectSpaceSince = database.prepare(
    `SELECT ${jobColumns} FROM jobs
     WHERE platform = ? AND json_extract(document, '$.origin.spaceId') = ? AND created_at >= ?
     ORDER BY created_at, rowid`,
  );
  // The compare-and-set itself: it only applies to the exact state and version read in the same transaction.
  const compareAndSet = database.prepare(
    `UPDATE jobs SET state = :state, provider_job_id = :providerJobId, updated_at = :updatedAt,
       version = :version, document = :document
     WHERE id = :id AND state = :expectedState AND version = :expectedVersion`,
  );
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

  return {
    async create(newJob: NewJob): Promise<Job> {
      assertOpen();
      const job = initialJob(newJob);
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
