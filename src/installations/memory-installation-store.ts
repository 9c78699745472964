import {
  closedInstallationStoreError,
  type InstallationKey,
  type InstallationStore,
  type StoredInstallation,
} from "./installation-store.ts";

const keyOf = (key: InstallationKey) => `${key.platform}\n${key.id}`;

/** Installations in this process only (tests, and single-process bots that accept re-installing). */
export function createMemoryInstallationStore(): InstallationStore {
  const installations = new Map<string, StoredInstallation>();
  let closed = false;
  const assertOpen = () => {
    if (closed) throw closedInstallationStoreError();
  };
  return {
    async save(installation) {
      assertOpen();
      installations.set(keyOf(installation), { ...installation });
    },
    async find(key) {
      assertOpen();
      const found = installations.get(keyOf(key));
      return found && { ...found };
    },
    async delete(key) {
      assertOpen();
      return installations.delete(keyOf(key));
    },
    async list(platform) {
      assertOpen();
      return [...installations.values()]
        .filter((installation) => installation.platform === platform)
        .map(({ platform, id }) => ({ platform, id }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async close() {
      closed = true;
    },
  };
}
