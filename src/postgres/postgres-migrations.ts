import { advisoryLockKey, type PostgresDatabase } from "./postgres-database.ts";

/**
 * Versioned schema changes of one component (jobs, coordination); entry `n` moves the component from
 * version n to n + 1. Append new entries; never edit one that has shipped.
 */
export interface PostgresMigrations {
  component: string;
  migrations: readonly string[];
}

const migrationLock = advisoryLockKey("seedance-bot schema migrations");

/**
 * Brings a component's schema up to date. Instances starting together take turns on one advisory lock,
 * so each change runs once; each change commits with its row in schema_migrations.
 */
export async function migratePostgres(
  database: PostgresDatabase,
  { component, migrations }: PostgresMigrations,
): Promise<void> {
  await database.session(async (query) => {
    await query(`SELECT pg_advisory_lock(${migrationLock})`);
    try {
      await query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           component text NOT NULL,
           version integer NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (component, version)
         )`,
      );
      const { rows } = await query<{ version: number }>(
        "SELECT coalesce(max(version), 0)::integer AS version FROM schema_migrations WHERE component = $1",
        [component],
      );
      const current = rows[0]?.version ?? 0;
      if (current > migrations.length) {
        throw new Error(
          `The ${component} schema in the database has version ${current}; this build knows up to ${migrations.length}.`,
        );
      }
      for (const [index, migration] of migrations.entries()) {
        if (index < current) continue;
        await query("BEGIN");
        try {
          await query(migration);
          await query("INSERT INTO schema_migrations (component, version) VALUES ($1, $2)", [
            component,
            index + 1,
          ]);
          await query("COMMIT");
        } catch (error) {
          await query("ROLLBACK").catch(() => undefined);
          throw error;
        }
      }
    } finally {
      await query(`SELECT pg_advisory_unlock(${migrationLock})`).catch(() => undefined);
    }
  });
}
