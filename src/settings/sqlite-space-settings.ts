import { openMigratedSqlite } from "../util/sqlite-schema.ts";
import {
  closedSettingsError,
  compactSettings,
  noSpaceSettings,
  parseStoredChanges,
  parseStoredSettings,
  type SpaceSettingsStore,
  settingsChanges,
} from "./space-settings.ts";

export interface SqliteSpaceSettingsOptions {
  /** The database file, such as DATA_DIR/settings.sqlite; its directory is created if missing. */
  path: string;
}

/** Append migrations; never edit one that has shipped. */
const migrations: readonly string[] = [
  `CREATE TABLE space_settings (
     platform TEXT NOT NULL, space_id TEXT NOT NULL, settings TEXT NOT NULL, version INTEGER NOT NULL,
     PRIMARY KEY (platform, space_id)
   ) STRICT;
   CREATE TABLE space_settings_changes (
     platform TEXT NOT NULL, space_id TEXT NOT NULL, version INTEGER NOT NULL, changed_at INTEGER NOT NULL,
     user_id TEXT NOT NULL, user_name TEXT, changes TEXT NOT NULL,
     PRIMARY KEY (platform, space_id, version)
   ) STRICT;`,
];

/** Settings in one SQLite file in DATA_DIR; a change and its audit row are one BEGIN IMMEDIATE transaction. */
export function openSqliteSpaceSettings(options: SqliteSpaceSettingsOptions): SpaceSettingsStore {
  const database = openMigratedSqlite(
    options.path,
    `Settings database ${options.path}`,
    migrations,
  );
  const statement = {
    get: database.prepare(
      "SELECT settings, version FROM space_settings WHERE platform = ? AND space_id = ?",
    ),
    save: database.prepare(
      `INSERT INTO space_settings (platform, space_id, settings, version) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, space_id) DO UPDATE SET settings = excluded.settings, version = excluded.version`,
    ),
    record: database.prepare(
      `INSERT INTO space_settings_changes (platform, space_id, version, changed_at, user_id, user_name, changes)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    history: database.prepare(
      `SELECT * FROM space_settings_changes WHERE platform = ? AND space_id = ?
       ORDER BY version DESC LIMIT ?`,
    ),
  };
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedSettingsError();
  };

  function read(platform: string, spaceId: string) {
    const row = statement.get.get(platform, spaceId);
    return row
      ? { settings: parseStoredSettings(String(row.settings)), version: Number(row.version) }
      : noSpaceSettings;
  }

  return {
    async get(space) {
      assertOpen();
      return read(space.platform, space.spaceId);
    },
    async update(space, update) {
      assertOpen();
      database.exec("BEGIN IMMEDIATE");
      try {
        const stored = read(space.platform, space.spaceId);
        let result: typeof stored | undefined = stored;
        const settings = compactSettings(update.settings);
        const changes = settingsChanges(stored.settings, settings);
        if (stored.version !== update.expectedVersion) result = undefined;
        else if (changes.length > 0) {
          result = { settings, version: stored.version + 1 };
          const { platform, spaceId } = space;
          statement.save.run(platform, spaceId, JSON.stringify(settings), result.version);
          statement.record.run(
            platform,
            spaceId,
            result.version,
            update.at,
            update.by.userId,
            update.by.userName ?? null,
            JSON.stringify(changes),
          );
        }
        database.exec("COMMIT");
        return result;
      } catch (error) {
        if (database.isTransaction) database.exec("ROLLBACK");
        throw error;
      }
    },
    async history(space, limit) {
      assertOpen();
      return statement.history.all(space.platform, space.spaceId, limit).map((row) => ({
        version: Number(row.version),
        changedAt: Number(row.changed_at),
        changedBy: {
          userId: String(row.user_id),
          ...(row.user_name === null ? {} : { userName: String(row.user_name) }),
        },
        changes: parseStoredChanges(String(row.changes)),
      }));
    },
    async close() {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
