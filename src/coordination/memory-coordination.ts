import {
  assertTtl,
  type CoordinationOptions,
  type CoordinationStore,
  closedCoordinationError,
  isLive,
  type KeyClaim,
  type Lease,
  type LeaseFilter,
  type SharedValue,
  type ValueOptions,
} from "./coordination.ts";

/** Coordination held in this process only: for one instance without a shared store, and for tests. */
export function createMemoryCoordination(options: CoordinationOptions = {}): CoordinationStore {
  const now = options.now ?? (() => Date.now());
  const leases = new Map<string, Lease>();
  const keys = new Map<string, { value: string; expiresAt: number }>();
  const values = new Map<string, SharedValue>();
  let revision = 0;
  let closed = false;

  function assertOpen(): void {
    if (closed) throw closedCoordinationError();
  }

  function liveLease(name: string): Lease | undefined {
    const lease = leases.get(name);
    return lease && isLive(lease.expiresAt, now()) ? lease : undefined;
  }

  function liveValue(key: string): SharedValue | undefined {
    const value = values.get(key);
    return value && isLive(value.expiresAt, now()) ? value : undefined;
  }

  function write(key: string, value: string, options: ValueOptions): SharedValue {
    if (options.ttlMs !== undefined) assertTtl(options.ttlMs);
    revision++;
    const expiresAt = options.ttlMs === undefined ? undefined : now() + options.ttlMs;
    const written = { value, version: revision, expiresAt };
    values.set(key, written);
    return { ...written };
  }

  return {
    async acquireLease(name, holder, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      const current = liveLease(name);
      if (current && current.holder !== holder) return undefined;
      const token = current ? current.token : ++revision;
      const lease = { name, holder, token, expiresAt: now() + ttlMs };
      leases.set(name, lease);
      return { ...lease };
    },

    async renewLease(name, holder, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      const current = liveLease(name);
      if (current?.holder !== holder) return undefined;
      current.expiresAt = now() + ttlMs;
      return { ...current };
    },

    async renewLeases(names, holder, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      const renewed = [];
      for (const name of names) {
        const current = liveLease(name);
        if (current?.holder !== holder) continue;
        current.expiresAt = now() + ttlMs;
        renewed.push(name);
      }
      return renewed;
    },

    async releaseLease(name, holder) {
      assertOpen();
      if (liveLease(name)?.holder !== holder) return false;
      leases.delete(name);
      return true;
    },

    async listLeases(filter: LeaseFilter = {}) {
      assertOpen();
      return [...leases.keys()]
        .toSorted()
        .flatMap((name) => {
          const lease = liveLease(name);
          return lease ? [{ ...lease }] : [];
        })
        .filter(
          (lease) =>
            (filter.holder === undefined || lease.holder === filter.holder) &&
            (filter.prefix === undefined || lease.name.startsWith(filter.prefix)),
        );
    },

    async claimKey(key, value, ttlMs): Promise<KeyClaim> {
      assertOpen();
      assertTtl(ttlMs);
      const current = keys.get(key);
      if (current && isLive(current.expiresAt, now())) {
        return { claimed: false, value: current.value, expiresAt: current.expiresAt };
      }
      const expiresAt = now() + ttlMs;
      keys.set(key, { value, expiresAt });
      return { claimed: true, expiresAt };
    },

    async getValue(key) {
      assertOpen();
      const value = liveValue(key);
      return value && { ...value };
    },

    async setValue(key, value, options = {}) {
      assertOpen();
      return write(key, value, options);
    },

    async compareAndSetValue(key, expectedVersion, value, options = {}) {
      assertOpen();
      const current = liveValue(key);
      const matches =
        expectedVersion === "absent" ? current === undefined : current?.version === expectedVersion;
      return matches ? write(key, value, options) : undefined;
    },

    async purgeExpired() {
      assertOpen();
      const at = now();
      let purged = 0;
      for (const map of [leases, keys, values] as Map<
        string,
        { expiresAt: number | undefined }
      >[]) {
        for (const [key, entry] of map) {
          if (isLive(entry.expiresAt, at)) continue;
          map.delete(key);
          purged++;
        }
      }
      return purged;
    },

    isHealthy() {
      return !closed;
    },

    async close() {
      closed = true;
    },
  };
}
