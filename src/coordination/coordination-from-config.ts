import { join } from "node:path";
import type { JobStoreChoice } from "../jobs/job-store-from-config.ts";
import type { CoordinationStore } from "./coordination.ts";
import { openPostgresCoordination } from "./postgres-coordination.ts";
import { openSqliteCoordination } from "./sqlite-coordination.ts";

/** Coordination beside the job store: in PostgreSQL with DATABASE_URL, else in DATA_DIR/coordination.sqlite. */
export async function openCoordinationFromConfig(
  choice: JobStoreChoice,
): Promise<CoordinationStore> {
  return choice.postgres
    ? await openPostgresCoordination({ database: choice.postgres })
    : openSqliteCoordination({ path: join(choice.dataDirectory, "coordination.sqlite") });
}
