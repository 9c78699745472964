import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll } from "vitest";
import { openSqliteInstallationStore } from "../../src/installations/sqlite-installation-store.ts";
import { createTokenCipher } from "../../src/installations/token-cipher.ts";
import { installationStoreContract } from "../contracts/installation-store.contract.ts";

const directory = mkdtempSync(join(tmpdir(), "seedance-installations-"));
let files = 0;

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function rawDatabase<T>(path: string, work: (database: DatabaseSync) => T): T {
  const database = new DatabaseSync(path);
  try {
    return work(database);
  } finally {
    database.close();
  }
}

installationStoreContract("sqlite installations", async () => {
  files += 1;
  const path = join(directory, `run-${files}`, "installations.sqlite");
  const cipher = createTokenCipher(randomBytes(32));
  const open = async () => openSqliteInstallationStore({ path, cipher });
  return {
    store: await open(),
    reopen: open,
    storedSecrets: async () =>
      rawDatabase(path, (database) =>
        database
          .prepare("SELECT secret FROM installations")
          .all()
          .map((row) => String(row.secret)),
      ),
    swapSecrets: async (first, second) =>
      rawDatabase(path, (database) => {
        const read = database.prepare("SELECT secret FROM installations WHERE id = ?");
        const write = database.prepare("UPDATE installations SET secret = ? WHERE id = ?");
        const [one, two] = [read.get(first)?.secret, read.get(second)?.secret];
        write.run(String(two), first);
        write.run(String(one), second);
      }),
  };
});
