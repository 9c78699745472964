import { expect, it } from "vitest";
import { openPostgresCoordination } from "../../src/coordination/postgres-coordination.ts";
import { openPostgresJobStore } from "../../src/jobs/postgres-job-store.ts";
import { openPostgresDatabase } from "../../src/postgres/postgres-database.ts";
import { coordinationContract } from "../contracts/coordination.contract.ts";
import { newJob } from "../contracts/new-job.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";

const databases = testDatabases();

coordinationContract("postgres coordination", async (now) => {
  const url = await databases.create();
  const open = () => openPostgresCoordination({ url, poolSize: 4, now });
  return { store: await open(), peer: open, reopen: open };
});

it("shares one pool with the job store, which neither store ends", async () => {
  const database = openPostgresDatabase({ url: await databases.create(), poolSize: 2 });
  const jobs = await openPostgresJobStore({ database });
  const coordination = await openPostgresCoordination({ database });
  await jobs.create(newJob());
  await coordination.setValue("key", "value");
  await Promise.all([jobs.close(), coordination.close()]);
  const { rows } = await database.query(
    "SELECT component, version FROM schema_migrations ORDER BY 1",
  );
  expect(rows).toEqual([
    { component: "coordination", version: 1 },
    { component: "jobs", version: 1 },
  ]);
  await database.end();
});
