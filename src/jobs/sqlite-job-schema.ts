import type { DatabaseSync } from "node:sqlite";

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

/** WAL lets readers run beside the one writer; NORMAL is durable across application crashes in WAL mode. */
export function configureConnection(database: DatabaseSync, path: string): void {
  database.exec("PRAGMA busy_timeout = 5000");
  const row = database.prepare("PRAGMA journal_mode = WAL").get();
  if (row?.journal_mode !== "wal") {
    throw new Error(
      `Job database ${path} could not switch to WAL (got ${String(row?.journal_mode)}).`,
    );
  }
  database.exec("PRAGMA synchronous = NORMAL");
}

/** Brings the schema up to date inside one write transaction, so processes opening together migrate once. */
export function migrate(database: DatabaseSync, path: string): void {
  database.exec("BEGIN IMMEDIATE");
  try {
    const current = Number(database.prepare("PRAGMA user_version").get()?.user_version ?? 0);
    if (current > migrations.length) {
      throw new Error(
        `Job database ${path} has schema version ${current}; this build knows up to ${migrations.length}.`,
      );
    }
    for (const migration of migrations.slice(current)) database.exec(migration);
    database.exec(`PRAGMA user_version = ${migrations.length}`);
    database.exec("COMMIT");
  } catch (error) {
    if (database.isTransaction) database.exec("ROLLBACK");
    throw error;
  }
}
