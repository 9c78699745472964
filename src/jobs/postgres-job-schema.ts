import type { PostgresMigrations } from "../postgres/postgres-migrations.ts";

/**
 * The jobs table on PostgreSQL: the job document as the SQLite store keeps it (JSON text), beside the columns
 * the queries filter and order by. `insertion` breaks ties between equal `created_at`s, as rowid does in SQLite;
 * `reserved_seconds` is what the job counts against the daily budgets. Append migrations; never edit one.
 */
export const jobMigrations: PostgresMigrations = {
  component: "jobs",
  migrations: [
    `CREATE TABLE jobs (
       id text PRIMARY KEY,
       platform text NOT NULL,
       user_id text NOT NULL,
       space_id text,
       state text NOT NULL,
       provider text NOT NULL,
       provider_job_id text,
       created_at bigint NOT NULL,
       updated_at bigint NOT NULL,
       version integer NOT NULL,
       reserved_seconds integer NOT NULL,
       insertion bigint GENERATED ALWAYS AS IDENTITY,
       document text NOT NULL
     );
     CREATE INDEX jobs_by_state ON jobs (state, created_at, insertion);
     CREATE INDEX jobs_by_user ON jobs (platform, user_id, created_at, insertion);
     CREATE INDEX jobs_by_user_state ON jobs (platform, user_id, state, created_at, insertion);
     CREATE INDEX jobs_by_space ON jobs (platform, space_id, created_at, insertion)
       WHERE space_id IS NOT NULL;
     CREATE UNIQUE INDEX jobs_by_provider_job ON jobs (provider, provider_job_id)
       WHERE provider_job_id IS NOT NULL;`,
  ],
};
