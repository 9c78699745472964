import { join } from "node:path";
import type { JobStoreChoice } from "../jobs/job-store-from-config.ts";
import { openPostgresSpaceSettings } from "./postgres-space-settings.ts";
import type { SpaceSettingsStore } from "./space-settings.ts";
import { openSqliteSpaceSettings } from "./sqlite-space-settings.ts";

/** Settings beside the job store: in PostgreSQL with DATABASE_URL, else in DATA_DIR/settings.sqlite. */
export async function openSpaceSettingsFromConfig(
  choice: JobStoreChoice,
): Promise<SpaceSettingsStore> {
  return choice.postgres
    ? await openPostgresSpaceSettings({ database: choice.postgres })
    : openSqliteSpaceSettings({ path: join(choice.dataDirectory, "settings.sqlite") });
}
