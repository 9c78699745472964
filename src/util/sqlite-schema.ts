import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { loadNodeSqlite } from "../jobs/load-node-sqlite.ts";

/** WAL lets readers run beside the one writer; NORMAL is durable across application crashes in WAL mode. */
export function configureSqliteConnection(database: DatabaseSync, description: string): void {
  database.exec("PRAGMA busy_timeout = 5000");
  const row = database.prepare("PRAGMA journal_mode = WAL").get();
  if (row?.journal_mode !== "wal") {
    throw new Error(`${description} could not switch to WAL (got ${String(row?.journal_mode)}).`);
  }
  database.exec("PRAGMA synchronous = NORMAL");
}

/**
 * Brings the schema up to date inside one write transaction, so processes opening together migrate once.
 * Entry `n` of `migrations` moves a database from `PRAGMA user_version` n to n + 1.
 */
export function migrateSqlite(
  database: DatabaseSync,
  description: string,
  migrations: readonly string[],
): void {
  database.exec("BEGIN IMMEDIATE");
  try {
    const current = Number(database.prepare("PRAGMA user_version").get()?.user_version ?? 0);
    if (current > migrations.length) {
      throw new Error(
        `${description} has schema version ${current}; this build knows up to ${migrations.length}.`,
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

/**
 * Opens (creating its folder) a SQLite file beside the jobs, configured and migrated; closed again
 * when either step fails, so a refused start leaves no handle open.
 */
export function openMigratedSqlite(
  path: string,
  description: string,
  migrations: readonly string[],
): DatabaseSync {
  mkdirSync(dirname(path), { recursive: true });
  const { DatabaseSync } = loadNodeSqlite();
  const database = new DatabaseSync(path);
  try {
    configureSqliteConnection(database, description);
    migrateSqlite(database, description, migrations);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}
