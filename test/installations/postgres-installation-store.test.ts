import { randomBytes } from "node:crypto";
import { openPostgresInstallationStore } from "../../src/installations/postgres-installation-store.ts";
import { createTokenCipher } from "../../src/installations/token-cipher.ts";
import { installationStoreContract } from "../contracts/installation-store.contract.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";

const databases = testDatabases();

installationStoreContract("postgres installations", async () => {
  const url = await databases.create();
  const cipher = createTokenCipher(randomBytes(32));
  const open = () => openPostgresInstallationStore({ url, poolSize: 2, cipher });
  return {
    store: await open(),
    reopen: open,
    storedSecrets: () =>
      databases.administer(url, async (client) =>
        (await client.query("SELECT secret FROM installations")).rows.map((row) =>
          String(row.secret),
        ),
      ),
    swapSecrets: (first, second) =>
      databases.administer(url, async (client) => {
        await client.query(
          `UPDATE installations SET secret = other.secret FROM installations AS other
           WHERE installations.id IN ($1, $2) AND other.id IN ($1, $2) AND other.id <> installations.id`,
          [first, second],
        );
      }),
  };
});
