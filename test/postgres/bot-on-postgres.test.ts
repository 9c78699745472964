import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, expect, it } from "vitest";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { waitUntil } from "../support/wait-until.ts";

const main = new URL("../../src/main.ts", import.meta.url).pathname;
const databases = testDatabases();
const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

it("keeps jobs and coordination in PostgreSQL when DATABASE_URL is set, and stops cleanly", async () => {
  const url = await databases.create();
  const directory = mkdtempSync(join(tmpdir(), "seedance-postgres-bot-"));
  directories.push(directory);
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? "", DATA_DIR: directory, PORT: "0", DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += String(chunk);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  try {
    await waitUntil(
      () => /Open http:\/\/127\.0\.0\.1:\d+\//.test(output) || child.exitCode !== null,
      {
        message: "start-up",
      },
    );
    const port = /Open http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
    expect(port, output).toBeDefined();
    const ready = await request(`http://127.0.0.1:${port}/readyz`);
    expect(await ready.body.json()).toMatchObject({ store: "open" });
    const tables = await databases.administer(url, async (client) => {
      const { rows } = await client.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1",
      );
      return rows.map((row) => row.tablename);
    });
    expect(tables).toEqual(
      expect.arrayContaining(["coordination_leases", "jobs", "schema_migrations"]),
    );
    expect(existsSync(join(directory, "jobs.sqlite"))).toBe(false);
    expect(output).not.toContain(url);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  } finally {
    child.kill("SIGKILL");
  }
});
