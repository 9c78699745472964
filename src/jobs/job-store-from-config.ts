import { join } from "node:path";
import type { PostgresDatabase } from "../postgres/postgres-database.ts";
import type { JobStore } from "./job-store.ts";
import { openPostgresJobStore } from "./postgres-job-store.ts";
import { openSqliteJobStore } from "./sqlite-job-store.ts";

export interface JobStoreChoice {
  /** The pool DATABASE_URL opened, if set: jobs then live in PostgreSQL. */
  postgres: PostgresDatabase | undefined;
  /** Otherwise DATA_DIR: jobs live in its jobs.sqlite. */
  dataDirectory: string;
}

/** The job store the configuration names: PostgreSQL with DATABASE_URL, else the embedded SQLite file. */
export async function openJobStoreFromConfig(choice: JobStoreChoice): Promise<JobStore> {
  return choice.postgres
    ? await openPostgresJobStore({ database: choice.postgres })
    : openSqliteJobStore({ path: join(choice.dataDirectory, "jobs.sqlite") });
}
