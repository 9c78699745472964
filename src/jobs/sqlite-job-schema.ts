import type { DatabaseSync } from "node:sqlite";
import { configureSqliteConnection, migrateSqlite } from "../util/sqlite-schema.ts";

/**
 * Schema changes in order; entry `n` moves a database from `PRAGMA user_version` n to n + 1.
 * Append new entries; never edit one that has shipped.
 */
const migrations: readonly string[] = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY NOT NULL,
     platform TEXT NOT NULL,
     user_id TEXT NOT NULL,
     state TEXT NOT NULL,
     provider TEXT NOT NULL,
     provider_job_id TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     version INTEGER NOT NULL,
     document TEXT NOT NULL CHECK (json_valid(document))
   ) STRICT;
   CREATE INDEX jobs_by_state ON jobs (state, created_at);
   CREATE INDEX jobs_by_user ON jobs (platform, user_id, created_at);
   CREATE UNIQUE INDEX jobs_by_provider_job ON jobs (provider, provider_job_id)
     WHERE provider_job_id IS NOT NULL;`,
  `CREATE INDEX jobs_by_space ON jobs (platform, json_extract(document, '$.origin.spaceId'), created_at);`,
  "CREATE INDEX jobs_by_user_state ON jobs (platform, user_id, state, created_at);",
];

export const jobSchemaVersion = migrations.length;

export function configureConnection(database: DatabaseSync, path: string): void {
  configureSqliteConnection(database, `Job database ${path}`);
}

export function migrate(database: DatabaseSync, path: string): void {
  migrateSqlite(database, `Job database ${path}`, migrations);
}
