import type { SQLOutputValue } from "node:sqlite";
import { openMigratedSqlite } from "../util/sqlite-schema.ts";
import {
  assertTtl,
  type CoordinationOptions,
  type CoordinationStore,
  closedCoordinationError,
  type Lease,
  type SharedValue,
  type ValueOptions,
} from "./coordination.ts";
import { coordinationSqliteMigrations } from "./sqlite-coordination-schema.ts";

export interface SqliteCoordinationOptions extends CoordinationOptions {
  /** The database file, such as DATA_DIR/coordination.sqlite; its directory is created if missing. */
  path: string;
}

type Row = Record<string, SQLOutputValue>;

function leaseFromRow(row: Row): Lease {
  return {
    name: String(row.name),
    holder: String(row.holder),
    token: Number(row.token),
    expiresAt: Number(row.expires_at),
  };
}

function valueFromRow(row: Row): SharedValue {
  return {
    value: String(row.value),
    version: Number(row.version),
    expiresAt: row.expires_at === null ? undefined : Number(row.expires_at),
  };
}

/** Coordination in one SQLite file: every operation is one BEGIN IMMEDIATE transaction, so processes agree. */
export function openSqliteCoordination(options: SqliteCoordinationOptions): CoordinationStore {
  const now = options.now ?? (() => Date.now());
  const database = openMigratedSqlite(
    options.path,
    `Coordination database ${options.path}`,
    coordinationSqliteMigrations,
  );
  const statement = {
    nextRevision: database.prepare("UPDATE revision SET value = value + 1 RETURNING value"),
    lease: database.prepare("SELECT * FROM leases WHERE name = ? AND expires_at > ?"),
    saveLease: database.prepare(
      `INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at`,
    ),
    deleteLease: database.prepare("DELETE FROM leases WHERE name = ?"),
    leases: database.prepare(
      `SELECT * FROM leases WHERE expires_at > :now AND (:holder IS NULL OR holder = :holder)
         AND (:prefix IS NULL OR substr(name, 1, length(:prefix)) = :prefix) ORDER BY name`,
    ),
    key: database.prepare("SELECT * FROM idempotency_keys WHERE key = ? AND expires_at > ?"),
    saveKey: database.prepare(
      `INSERT INTO idempotency_keys (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ),
    value: database.prepare(
      "SELECT * FROM shared_values WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)",
    ),
    saveValue: database.prepare(
      `INSERT INTO shared_values (key, value, version, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version, expires_at = excluded.expires_at`,
    ),
    purge: [
      database.prepare("DELETE FROM leases WHERE expires_at <= ?"),
      database.prepare("DELETE FROM idempotency_keys WHERE expires_at <= ?"),
      database.prepare("DELETE FROM shared_values WHERE expires_at <= ?"),
    ],
  };
  let closed = false;

  /** Runs `work` (synchronous) as one write transaction, after checking the store is open. */
  function transaction<T>(work: (at: number) => T): T {
    if (closed) throw closedCoordinationError();
    database.exec("BEGIN IMMEDIATE");
    try {
      const result = work(now());
      database.exec("COMMIT");
      return result;
    } catch (error) {
      if (database.isTransaction) database.exec("ROLLBACK");
      throw error;
    }
  }

  function nextRevision(): number {
    return Number(statement.nextRevision.get()?.value);
  }

  function writeValue(key: string, value: string, options: ValueOptions, at: number): SharedValue {
    const expiresAt = options.ttlMs === undefined ? undefined : at + options.ttlMs;
    const version = nextRevision();
    statement.saveValue.run(key, value, version, expiresAt ?? null);
    return { value, version, expiresAt };
  }

  function assertValueOptions(options: ValueOptions): void {
    if (options.ttlMs !== undefined) assertTtl(options.ttlMs);
  }

  return {
    async acquireLease(name, holder, ttlMs) {
      assertTtl(ttlMs);
      return transaction((at) => {
        const row = statement.lease.get(name, at);
        if (row && row.holder !== holder) return undefined;
        const lease = {
          name,
          holder,
          token: row ? Number(row.token) : nextRevision(),
          expiresAt: at + ttlMs,
        };
        statement.saveLease.run(name, holder, lease.token, lease.expiresAt);
        return lease;
      });
    },

    async renewLease(name, holder, ttlMs) {
      assertTtl(ttlMs);
      return transaction((at) => {
        const row = statement.lease.get(name, at);
        if (row?.holder !== holder) return undefined;
        const lease = { ...leaseFromRow(row), expiresAt: at + ttlMs };
        statement.saveLease.run(name, holder, lease.token, lease.expiresAt);
        return lease;
      });
    },

    async renewLeases(names, holder, ttlMs) {
      assertTtl(ttlMs);
      return transaction((at) => {
        const renewed = [];
        for (const name of names) {
          const row = statement.lease.get(name, at);
          if (row?.holder !== holder) continue;
          statement.saveLease.run(name, holder, leaseFromRow(row).token, at + ttlMs);
          renewed.push(name);
        }
        return renewed;
      });
    },

    async releaseLease(name, holder) {
      return transaction((at) => {
        if (statement.lease.get(name, at)?.holder !== holder) return false;
        statement.deleteLease.run(name);
        return true;
      });
    },

    async listLeases(filter = {}) {
      if (closed) throw closedCoordinationError();
      const rows = statement.leases.all({
        now: now(),
        holder: filter.holder ?? null,
        prefix: filter.prefix ?? null,
      });
      return rows.map(leaseFromRow);
    },

    async claimKey(key, value, ttlMs) {
      assertTtl(ttlMs);
      return transaction((at) => {
        const row = statement.key.get(key, at);
        if (row)
          return { claimed: false, value: String(row.value), expiresAt: Number(row.expires_at) };
        statement.saveKey.run(key, value, at + ttlMs);
        return { claimed: true, expiresAt: at + ttlMs };
      });
    },

    async getValue(key) {
      if (closed) throw closedCoordinationError();
      const row = statement.value.get(key, now());
      return row && valueFromRow(row);
    },

    async setValue(key, value, options = {}) {
      assertValueOptions(options);
      return transaction((at) => writeValue(key, value, options, at));
    },

    async compareAndSetValue(key, expectedVersion, value, options = {}) {
      assertValueOptions(options);
      return transaction((at) => {
        const row = statement.value.get(key, at);
        const matches =
          expectedVersion === "absent"
            ? row === undefined
            : Number(row?.version) === expectedVersion;
        return matches ? writeValue(key, value, options, at) : undefined;
      });
    },

    async purgeExpired() {
      return transaction((at) =>
        statement.purge.reduce((sum, purge) => sum + Number(purge.run(at).changes), 0),
      );
    },

    isHealthy() {
      return !closed && database.isOpen;
    },

    async close() {
      if (closed) return;
      closed = true;
      database.close();
    },
  };
}
