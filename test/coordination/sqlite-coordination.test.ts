import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, expect, it } from "vitest";
import { openSqliteCoordination } from "../../src/coordination/sqlite-coordination.ts";
import { coordinationContract } from "../contracts/coordination.contract.ts";

const directory = mkdtempSync(join(tmpdir(), "seedance-coordination-"));
let files = 0;

function databasePath(): string {
  files += 1;
  return join(directory, `run-${files}`, "coordination.sqlite");
}

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

coordinationContract("sqlite coordination", async (now) => {
  const path = databasePath();
  const open = async () => openSqliteCoordination({ path, now });
  return { store: await open(), peer: open, reopen: open };
});

it("refuses a coordination database with a newer schema", async () => {
  const path = databasePath();
  await openSqliteCoordination({ path }).close();
  const database = new DatabaseSync(path);
  database.exec("PRAGMA user_version = 99");
  database.close();
  expect(() => openSqliteCoordination({ path })).toThrow(
    /Coordination database .* schema version 99/,
  );
});
