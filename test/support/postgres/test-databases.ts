import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import type { PostgresServerAddress } from "./postgres-server.ts";

export function databaseUrl(address: PostgresServerAddress, database: string): string {
  const { user, password, host, port } = address;
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

export interface TestDatabases {
  /** A new, empty database on the run's server; returns its URL. Dropped after the file's tests. */
  create(): Promise<string>;
  /** Runs SQL as the server's superuser in `database` (given as the URL `create` returned). */
  administer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T>;
}

/** Call at the top of a test file: fresh databases on the PostgreSQL that test/support/postgres/global-setup.ts started. */
export function testDatabases(): TestDatabases {
  const address = inject("postgres");
  const created: string[] = [];
  let admin: Promise<pg.Client> | undefined;

  function adminClient(): Promise<pg.Client> {
    admin ??= (async () => {
      const client = new pg.Client({ connectionString: databaseUrl(address, "postgres") });
      await client.connect();
      return client;
    })();
    return admin;
  }

  afterAll(async () => {
    if (admin === undefined) return;
    const client = await admin;
    for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });

  return {
    async create() {
      const name = `test_${randomBytes(8).toString("hex")}`;
      created.push(name);
      await (await adminClient()).query(`CREATE DATABASE ${name}`);
      return databaseUrl(address, name);
    },
    async administer(url, work) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    },
  };
}
