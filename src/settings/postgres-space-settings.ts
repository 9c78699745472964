import type { PostgresDatabase } from "../postgres/postgres-database.ts";
import { migratePostgres, type PostgresMigrations } from "../postgres/postgres-migrations.ts";
import {
  closedSettingsError,
  compactSettings,
  noSpaceSettings,
  parseStoredChanges,
  parseStoredSettings,
  type SpaceSettingsStore,
  settingsChanges,
} from "./space-settings.ts";

/** Append; never edit one that has shipped. */
export const spaceSettingsMigrations: PostgresMigrations = {
  component: "space-settings",
  migrations: [
    `CREATE TABLE space_settings (
       platform text NOT NULL, space_id text NOT NULL, settings text NOT NULL, version bigint NOT NULL,
       PRIMARY KEY (platform, space_id)
     );
     CREATE TABLE space_settings_changes (
       platform text NOT NULL, space_id text NOT NULL, version bigint NOT NULL, changed_at bigint NOT NULL,
       user_id text NOT NULL, user_name text, changes text NOT NULL,
       PRIMARY KEY (platform, space_id, version)
     );`,
  ],
};

export interface PostgresSpaceSettingsOptions {
  /** A pool shared with the other stores; it is not ended on close. */
  database: PostgresDatabase;
}

interface SettingsRow {
  settings: string;
  version: string;
}

interface ChangeRow {
  version: string;
  changed_at: string;
  user_id: string;
  user_name: string | null;
  changes: string;
}

/**
 * Settings on PostgreSQL, shared by every instance: a change reads the row under `FOR UPDATE` (or, for
 * a first change, inserts under the primary key), so two admins' saves on one version cannot both win.
 */
export async function openPostgresSpaceSettings(
  options: PostgresSpaceSettingsOptions,
): Promise<SpaceSettingsStore> {
  const { database } = options;
  await migratePostgres(database, spaceSettingsMigrations);
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedSettingsError();
  };
  const select =
    "SELECT settings, version FROM space_settings WHERE platform = $1 AND space_id = $2";
  const fromRow = (row: SettingsRow | undefined) =>
    row
      ? { settings: parseStoredSettings(row.settings), version: Number(row.version) }
      : noSpaceSettings;

  return {
    async get(space) {
      assertOpen();
      const { rows } = await database.query<SettingsRow>(select, [space.platform, space.spaceId]);
      return fromRow(rows[0]);
    },
    async update(space, update) {
      assertOpen();
      const { platform, spaceId } = space;
      return await database.transaction(async (query) => {
        const { rows } = await query<SettingsRow>(`${select} FOR UPDATE`, [platform, spaceId]);
        const stored = fromRow(rows[0]);
        if (stored.version !== update.expectedVersion) return undefined;
        const settings = compactSettings(update.settings);
        const changes = settingsChanges(stored.settings, settings);
        if (changes.length === 0) return stored;
        const version = stored.version + 1;
        // A first change races on the primary key: the loser's insert writes nothing.
        const saved = await query(
          `INSERT INTO space_settings (platform, space_id, settings, version) VALUES ($1, $2, $3, $4)
           ON CONFLICT (platform, space_id) DO UPDATE SET settings = excluded.settings, version = excluded.version
           WHERE space_settings.version = $5`,
          [platform, spaceId, JSON.stringify(settings), version, stored.version],
        );
        if (saved.rowCount !== 1) return undefined;
        await query(
          `INSERT INTO space_settings_changes (platform, space_id, version, changed_at, user_id, user_name, changes)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            platform,
            spaceId,
            version,
            update.at,
            update.by.userId,
            update.by.userName ?? null,
            JSON.stringify(changes),
          ],
        );
        return { settings, version };
      });
    },
    async history(space, limit) {
      assertOpen();
      const { rows } = await database.query<ChangeRow>(
        `SELECT * FROM space_settings_changes WHERE platform = $1 AND space_id = $2
         ORDER BY version DESC LIMIT $3`,
        [space.platform, space.spaceId, limit],
      );
      return rows.map((row) => ({
        version: Number(row.version),
        changedAt: Number(row.changed_at),
        changedBy: {
          userId: row.user_id,
          ...(row.user_name === null ? {} : { userName: row.user_name }),
        },
        changes: parseStoredChanges(row.changes),
      }));
    },
    async close() {
      closed = true;
    },
  };
}
