import { join } from "node:path";
import type { JobStoreChoice } from "../jobs/job-store-from-config.ts";
import { persistentSecret } from "../util/persistent-secret.ts";
import type { InstallationStore } from "./installation-store.ts";
import { openPostgresInstallationStore } from "./postgres-installation-store.ts";
import { openSqliteInstallationStore } from "./sqlite-installation-store.ts";
import { createTokenCipher, parseTokenKey } from "./token-cipher.ts";

/**
 * Installations beside the job store: in PostgreSQL with DATABASE_URL, else DATA_DIR/installations.sqlite.
 * Secrets are sealed with SLACK_TOKEN_KEY, or with a key generated once into DATA_DIR/slack-token.key.
 */
export async function openInstallationStoreFromConfig(
  choice: JobStoreChoice & { tokenKey?: string | undefined },
): Promise<InstallationStore> {
  const keyText =
    choice.tokenKey ?? (await persistentSecret(join(choice.dataDirectory, "slack-token.key")));
  const cipher = createTokenCipher(parseTokenKey(keyText));
  return choice.postgres
    ? await openPostgresInstallationStore({ database: choice.postgres, cipher })
    : openSqliteInstallationStore({
        path: join(choice.dataDirectory, "installations.sqlite"),
        cipher,
      });
}
