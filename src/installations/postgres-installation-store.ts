import { openPostgresDatabase, type PostgresDatabase } from "../postgres/postgres-database.ts";
import { migratePostgres, type PostgresMigrations } from "../postgres/postgres-migrations.ts";
import {
  closedInstallationStoreError,
  type InstallationStore,
  type StoredInstallation,
} from "./installation-store.ts";
import { cipherContext, type TokenCipher } from "./token-cipher.ts";

export type PostgresInstallationStoreOptions = { cipher: TokenCipher } & (
  | { url: string; poolSize: number }
  /** A pool shared with other stores; it is not ended on close. */
  | { database: PostgresDatabase }
);

/** Append; never edit one that has shipped. */
export const installationMigrations: PostgresMigrations = {
  component: "installations",
  migrations: [
    `CREATE TABLE installations (
       platform text NOT NULL, id text NOT NULL, team_id text, enterprise_id text,
       secret text NOT NULL, installed_at bigint NOT NULL, PRIMARY KEY (platform, id)
     );`,
  ],
};

interface Row {
  platform: string;
  id: string;
  team_id: string | null;
  enterprise_id: string | null;
  secret: string;
  installed_at: string;
}

/** Installations on PostgreSQL, shared by every instance; the secret column holds AES-256-GCM text only. */
export async function openPostgresInstallationStore(
  options: PostgresInstallationStoreOptions,
): Promise<InstallationStore> {
  const owned = "url" in options;
  const database = owned
    ? openPostgresDatabase({ url: options.url, poolSize: options.poolSize })
    : options.database;
  try {
    await migratePostgres(database, installationMigrations);
  } catch (error) {
    if (owned) await database.end();
    throw error;
  }
  const { cipher } = options;
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedInstallationStoreError();
  };

  function fromRow(row: Row): StoredInstallation {
    const key = { platform: row.platform, id: row.id };
    return {
      ...key,
      ...(row.team_id === null ? {} : { teamId: row.team_id }),
      ...(row.enterprise_id === null ? {} : { enterpriseId: row.enterprise_id }),
      secret: cipher.decrypt(row.secret, cipherContext(key)),
      installedAt: Number(row.installed_at),
    };
  }

  return {
    async save(installation) {
      assertOpen();
      await database.query(
        `INSERT INTO installations (platform, id, team_id, enterprise_id, secret, installed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (platform, id) DO UPDATE SET team_id = excluded.team_id,
           enterprise_id = excluded.enterprise_id, secret = excluded.secret,
           installed_at = excluded.installed_at`,
        [
          installation.platform,
          installation.id,
          installation.teamId ?? null,
          installation.enterpriseId ?? null,
          cipher.encrypt(installation.secret, cipherContext(installation)),
          installation.installedAt,
        ],
      );
    },
    async find(key) {
      assertOpen();
      const { rows } = await database.query<Row>(
        "SELECT * FROM installations WHERE platform = $1 AND id = $2",
        [key.platform, key.id],
      );
      return rows[0] && fromRow(rows[0]);
    },
    async delete(key) {
      assertOpen();
      const { rowCount } = await database.query(
        "DELETE FROM installations WHERE platform = $1 AND id = $2",
        [key.platform, key.id],
      );
      return (rowCount ?? 0) > 0;
    },
    async list(platform) {
      assertOpen();
      const { rows } = await database.query<{ platform: string; id: string }>(
        "SELECT platform, id FROM installations WHERE platform = $1 ORDER BY id",
        [platform],
      );
      return rows.map((row) => ({ platform: row.platform, id: row.id }));
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned) await database.end();
    },
  };
}
