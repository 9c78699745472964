import type { SQLOutputValue } from "node:sqlite";
import { openMigratedSqlite } from "../util/sqlite-schema.ts";
import {
  closedInstallationStoreError,
  type InstallationStore,
  type StoredInstallation,
} from "./installation-store.ts";
import { cipherContext, type TokenCipher } from "./token-cipher.ts";

export interface SqliteInstallationStoreOptions {
  /** The database file, such as DATA_DIR/installations.sqlite; its directory is created if missing. */
  path: string;
  cipher: TokenCipher;
}

/** Append; never edit one that has shipped. */
const migrations: readonly string[] = [
  `CREATE TABLE installations (
     platform TEXT NOT NULL, id TEXT NOT NULL, team_id TEXT, enterprise_id TEXT,
     secret TEXT NOT NULL, installed_at INTEGER NOT NULL, PRIMARY KEY (platform, id)
   ) STRICT;`,
];

type Row = Record<string, SQLOutputValue>;

/** Installations in one SQLite file beside the jobs; the secret column holds AES-256-GCM text only. */
export function openSqliteInstallationStore(
  options: SqliteInstallationStoreOptions,
): InstallationStore {
  const database = openMigratedSqlite(
    options.path,
    `Installation database ${options.path}`,
    migrations,
  );
  const { cipher } = options;
  const statement = {
    save: database.prepare(
      `INSERT INTO installations (platform, id, team_id, enterprise_id, secret, installed_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (platform, id) DO UPDATE SET team_id = excluded.team_id,
         enterprise_id = excluded.enterprise_id, secret = excluded.secret, installed_at = excluded.installed_at`,
    ),
    find: database.prepare("SELECT * FROM installations WHERE platform = ? AND id = ?"),
    delete: database.prepare("DELETE FROM installations WHERE platform = ? AND id = ?"),
    list: database.prepare("SELECT platform, id FROM installations WHERE platform = ? ORDER BY id"),
  };
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedInstallationStoreError();
  };

  function fromRow(row: Row): StoredInstallation {
    const key = { platform: String(row.platform), id: String(row.id) };
    return {
      ...key,
      ...(row.team_id === null ? {} : { teamId: String(row.team_id) }),
      ...(row.enterprise_id === null ? {} : { enterpriseId: String(row.enterprise_id) }),
      secret: cipher.decrypt(String(row.secret), cipherContext(key)),
      installedAt: Number(row.installed_at),
    };
  }

  return {
    async save(installation: StoredInstallation) {
      assertOpen();
      statement.save.run(
        installation.platform,
        installation.id,
        installation.teamId ?? null,
        installation.enterpriseId ?? null,
        cipher.encrypt(installation.secret, cipherContext(installation)),
        installation.installedAt,
      );
    },
    async find(key) {
      assertOpen();
      const row = statement.find.get(key.platform, key.id);
      return row ? fromRow(row) : undefined;
    },
    async delete(key) {
      assertOpen();
      return Number(statement.delete.run(key.platform, key.id).changes) > 0;
    },
    async list(platform) {
      assertOpen();
      return statement.list
        .all(platform)
        .map((row) => ({ platform: String(row.platform), id: String(row.id) }));
    },
    async close() {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
