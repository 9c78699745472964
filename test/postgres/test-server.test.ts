import { describe, expect, it } from "vitest";
import { testDatabases } from "../support/postgres/test-databases.ts";

const databases = testDatabases();

describe("the tests' PostgreSQL", () => {
  it("is PostgreSQL 18 and gives each caller its own empty place", async () => {
    const first = await databases.create();
    const second = await databases.create();
    expect(first).not.toBe(second);
    const tables =
      "SELECT count(*)::integer AS tables FROM pg_tables WHERE schemaname = current_schema()";
    await databases.administer(first, async (client) => {
      const { rows } = await client.query("SHOW server_version_num");
      expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(180_000);
      await client.query("CREATE TABLE only_here (id integer)");
      expect((await client.query(tables)).rows).toEqual([{ tables: 1 }]);
    });
    await databases.administer(second, async (client) => {
      expect((await client.query(tables)).rows).toEqual([{ tables: 0 }]);
    });
  });
});
