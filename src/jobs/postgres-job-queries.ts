import { jobColumns as columns } from "./job-row.ts";

// The statements of the PostgreSQL job store; each is served by an index of postgres-job-schema.ts.

const oldestFirst = "ORDER BY created_at, insertion";

export const jobQueries = {
  insert: `INSERT INTO jobs (id, platform, user_id, space_id, state, provider, provider_job_id, created_at,
             updated_at, version, reserved_seconds, document)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (id) DO NOTHING`,
  byId: `SELECT ${columns} FROM jobs WHERE id = $1`,
  byProviderJob: `SELECT ${columns} FROM jobs WHERE provider = $1 AND provider_job_id = $2`,
  byStates: `SELECT ${columns} FROM jobs WHERE state = ANY($1::text[]) ${oldestFirst}`,
  byUser: `SELECT ${columns} FROM jobs WHERE platform = $1 AND user_id = $2
           ORDER BY created_at DESC, insertion DESC LIMIT $3`,
  byUserInStates: `SELECT ${columns} FROM jobs
                   WHERE platform = $1 AND user_id = $2 AND state = ANY($3::text[]) ${oldestFirst}`,
  userSince: `SELECT ${columns} FROM jobs WHERE platform = $1 AND user_id = $2 AND created_at >= $3
              ${oldestFirst}`,
  spaceSince: `SELECT ${columns} FROM jobs WHERE platform = $1 AND space_id = $2 AND created_at >= $3
               ${oldestFirst}`,
  /** The compare-and-set: it applies only to the exact state and version that were read. */
  compareAndSet: `UPDATE jobs SET state = $4, provider_job_id = $5, updated_at = $6, version = $7, document = $8
                  WHERE id = $1 AND state = $2 AND version = $3`,
  /** What admission decides on: $1 platform, $2 user, $3 space (or null), $4 since, $5 released, $6 active states. */
  admissionFacts: `SELECT
      (SELECT coalesce(sum(reserved_seconds), 0)::integer FROM jobs
        WHERE platform = $1 AND user_id = $2 AND created_at >= $4 AND state <> ALL($5::text[])) AS user_seconds,
      (SELECT coalesce(sum(reserved_seconds), 0)::integer FROM jobs
        WHERE platform = $1 AND space_id = $3 AND created_at >= $4 AND state <> ALL($5::text[])) AS space_seconds,
      (SELECT count(*)::integer FROM jobs
        WHERE platform = $1 AND user_id = $2 AND state = ANY($6::text[])) AS active,
      (SELECT count(*)::integer FROM jobs
        WHERE platform = $1 AND user_id = $2 AND state = 'waiting') AS waiting`,
  /** The user's waiting jobs, locked until the transaction ends, with how many of theirs are active. */
  waitingForAdvance: `SELECT ${columns}, (SELECT count(*)::integer FROM jobs
        WHERE platform = $1 AND user_id = $2 AND state = ANY($3::text[])) AS active
      FROM jobs WHERE platform = $1 AND user_id = $2 AND state = 'waiting' ${oldestFirst} FOR UPDATE`,
} as const;

/** unique_violation, raised here only by jobs_by_provider_job (id conflicts are handled in SQL). */
export const uniqueViolation = "23505";
