import {
  closedSettingsError,
  compactSettings,
  noSpaceSettings,
  type SettingsChangeRecord,
  type SpaceKey,
  type SpaceSettingsStore,
  type StoredSpaceSettings,
  settingsChanges,
} from "./space-settings.ts";

const keyOf = (space: SpaceKey) => `${space.platform}\u0000${space.spaceId}`;

/** Settings in this process only (tests, and a bot without storage): each call is one turn. */
export function createMemorySpaceSettings(): SpaceSettingsStore {
  const current = new Map<string, StoredSpaceSettings>();
  const records = new Map<string, SettingsChangeRecord[]>();
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedSettingsError();
  };
  return {
    async get(space) {
      assertOpen();
      return structuredClone(current.get(keyOf(space)) ?? noSpaceSettings);
    },
    async update(space, update) {
      assertOpen();
      const key = keyOf(space);
      const stored = current.get(key) ?? noSpaceSettings;
      if (stored.version !== update.expectedVersion) return undefined;
      const settings = compactSettings(update.settings);
      const changes = settingsChanges(stored.settings, settings);
      if (changes.length === 0) return structuredClone(stored);
      const next = { settings: structuredClone(settings), version: stored.version + 1 };
      current.set(key, next);
      const record = {
        version: next.version,
        changedAt: update.at,
        changedBy: { ...update.by },
        changes,
      };
      records.set(key, [record, ...(records.get(key) ?? [])]);
      return structuredClone(next);
    },
    async history(space, limit) {
      assertOpen();
      return structuredClone((records.get(keyOf(space)) ?? []).slice(0, limit));
    },
    async close() {
      closed = true;
    },
  };
}
