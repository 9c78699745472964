import { describe, expect, it } from "vitest";
import { openPostgresJobStore } from "../../src/jobs/postgres-job-store.ts";
import { jobStoreContract } from "../contracts/job-store.contract.ts";
import { newJob } from "../contracts/new-job.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { waitUntil } from "../support/wait-until.ts";

const databases = testDatabases();
const open = (url: string) => openPostgresJobStore({ url, poolSize: 4 });

jobStoreContract("postgres job store", async () => {
  const url = await databases.create();
  return { store: await open(url), reopen: () => open(url), peer: () => open(url) };
});

describe("postgres job store", () => {
  it("migrates once when four instances start together, and refuses a newer schema", async () => {
    const url = await databases.create();
    const stores = await Promise.all([open(url), open(url), open(url), open(url)]);
    await stores[0]?.create(newJob());
    expect(await stores[3]?.get("job-1")).toMatchObject({ id: "job-1" });
    await Promise.all(stores.map((store) => store.close()));
    await databases.administer(url, async (client) => {
      const { rows } = await client.query(
        "SELECT version FROM schema_migrations WHERE component = 'jobs' ORDER BY version",
      );
      expect(rows).toEqual([{ version: 1 }]);
      await client.query("INSERT INTO schema_migrations (component, version) VALUES ('jobs', 99)");
    });
    await expect(open(url)).rejects.toThrow(/jobs schema in the database has version 99/);
  });

  it("serves each query from an index", async () => {
    const url = await databases.create();
    await (await open(url)).close();
    const queries = [
      "SELECT * FROM jobs WHERE id = 'x'",
      "SELECT * FROM jobs WHERE provider = 'p' AND provider_job_id = 't'",
      "SELECT * FROM jobs WHERE state = ANY('{running,queued}') ORDER BY created_at, insertion",
      "SELECT * FROM jobs WHERE platform = 'd' AND user_id = 'u' ORDER BY created_at DESC, insertion DESC LIMIT 5",
      "SELECT * FROM jobs WHERE platform = 'd' AND user_id = 'u' AND state = ANY('{waiting}') ORDER BY created_at, insertion",
      "SELECT * FROM jobs WHERE platform = 'd' AND space_id = 's' AND created_at >= 5 ORDER BY created_at, insertion",
    ];
    await databases.administer(url, async (client) => {
      // An empty table would be read whole; the planner is told not to, so the plan shows the index it picks.
      await client.query("SET enable_seqscan = off");
      for (const query of queries) {
        const { rows } = await client.query(`EXPLAIN ${query}`);
        const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
        expect(plan, query).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
      }
    });
  });

  it("turns unhealthy when the server drops its connections, and healthy once it answers again", async () => {
    const url = await databases.create();
    const store = await open(url);
    await store.create(newJob());
    await databases.administer(url, (client) =>
      client.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      ),
    );
    await waitUntil(() => !store.isHealthy(), { message: "the dropped connection to be noticed" });
    expect(await store.get("job-1")).toMatchObject({ id: "job-1" });
    expect(store.isHealthy()).toBe(true);
    await store.close();
  });
});
