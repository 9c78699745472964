import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import type { PostgresServerAddress } from "./postgres-server.ts";

export function databaseUrl(
  address: PostgresServerAddress,
  database: string,
  schema?: string,
): string {
  const { user, password, host, port } = address;
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  const url = `postgres://${credentials}@${host}:${port}/${database}`;
  return schema === undefined
    ? url
    : `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

export interface TestDatabases {
  /**
   * An empty place for one test on the run's server, as a URL: a fresh schema (the connection's search_path)
   * in this file's own database, made on first use and dropped after the file's tests.
   */
  create(): Promise<string>;
  /** Runs SQL as the server's superuser on the connection `url` names (as `create` returned it). */
  administer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T>;
}

const name = () => randomBytes(8).toString("hex");

/** Call at the top of a test file: fresh schemas on the PostgreSQL that global-setup.ts started. */
export function testDatabases(): TestDatabases {
  const address = inject("postgres");
  const database = `test_${name()}`;
  let created: Promise<void> | undefined;

  async function administer<T>(url: string, work: (client: pg.Client) => Promise<T>) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  afterAll(async () => {
    if (created === undefined) return;
    await administer(databaseUrl(address, "postgres"), (client) =>
      client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
    );
  });

  return {
    async create() {
      created ??= administer(databaseUrl(address, "postgres"), async (client) => {
        await client.query(`CREATE DATABASE ${database}`);
      });
      await created;
      const schema = `test_${name()}`;
      await administer(databaseUrl(address, database), (client) =>
        client.query(`CREATE SCHEMA ${schema}`),
      );
      return databaseUrl(address, database, schema);
    },
    administer,
  };
}
