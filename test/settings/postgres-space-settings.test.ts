import { afterAll } from "vitest";
import {
  openPostgresDatabase,
  type PostgresDatabase,
} from "../../src/postgres/postgres-database.ts";
import { openPostgresSpaceSettings } from "../../src/settings/postgres-space-settings.ts";
import { spaceSettingsContract } from "../contracts/space-settings.contract.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";

const databases = testDatabases();
const pools: PostgresDatabase[] = [];

afterAll(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

spaceSettingsContract("postgres space settings", async () => {
  const url = await databases.create();
  // Each store on its own pool, as each instance has.
  const open = async () => {
    const database = openPostgresDatabase({ url, poolSize: 4 });
    pools.push(database);
    return await openPostgresSpaceSettings({ database });
  };
  return { store: await open(), peer: open, reopen: open };
});
