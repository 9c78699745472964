import type { DatabaseSync } from "node:sqlite";
import { jobColumns } from "./job-row.ts";

/** Every statement the SQLite job store runs, prepared once per connection. */
export function prepareJobStatements(database: DatabaseSync) {
  return {
    insert: database.prepare(
      `INSERT INTO jobs (id, platform, user_id, state, provider, provider_job_id, created_at, updated_at, version, document)
       VALUES (:id, :platform, :userId, :state, :provider, :providerJobId, :createdAt, :updatedAt, :version, :document)
       ON CONFLICT (id) DO NOTHING`,
    ),
    selectById: database.prepare(`SELECT ${jobColumns} FROM jobs WHERE id = ?`),
    selectByProviderJob: database.prepare(
      `SELECT ${jobColumns} FROM jobs WHERE provider = ? AND provider_job_id = ?`,
    ),
    // The states arrive as one JSON array so the statement is prepared once for any number of them.
    selectByStates: database.prepare(
      `SELECT ${jobColumns} FROM jobs WHERE state IN (SELECT value FROM json_each(?))
       ORDER BY created_at, rowid`,
    ),
    selectByUser: database.prepare(
      `SELECT ${jobColumns} FROM jobs WHERE platform = ? AND user_id = ?
       ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    ),
    selectUserInStates: database.prepare(
      // Without the hint SQLite prefers jobs_by_user and reads every row of a busy user.
      `SELECT ${jobColumns} FROM jobs INDEXED BY jobs_by_user_state
       WHERE platform = ? AND user_id = ? AND state IN (SELECT value FROM json_each(?))
       ORDER BY created_at, rowid`,
    ),
    selectUserSince: database.prepare(
      `SELECT ${jobColumns} FROM jobs WHERE platform = ? AND user_id = ? AND created_at >= ?
       ORDER BY created_at, rowid`,
    ),
    selectSpaceSince: database.prepare(
      `SELECT ${jobColumns} FROM jobs
       WHERE platform = ? AND json_extract(document, '$.origin.spaceId') = ? AND created_at >= ?
       ORDER BY created_at, rowid`,
    ),
    // The compare-and-set itself: it only applies to the exact state and version read in the same transaction.
    compareAndSet: database.prepare(
      `UPDATE jobs SET state = :state, provider_job_id = :providerJobId, updated_at = :updatedAt,
         version = :version, document = :document
       WHERE id = :id AND state = :expectedState AND version = :expectedVersion`,
    ),
  };
}

export type JobStatements = ReturnType<typeof prepareJobStatements>;
