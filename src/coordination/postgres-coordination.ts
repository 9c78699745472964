import { openPostgresDatabase, type PostgresDatabase } from "../postgres/postgres-database.ts";
import { migratePostgres } from "../postgres/postgres-migrations.ts";
import {
  assertTtl,
  type CoordinationOptions,
  type CoordinationStore,
  closedCoordinationError,
  type KeyClaim,
  type Lease,
  type SharedValue,
  type ValueOptions,
} from "./coordination.ts";
import {
  coordinationMigrations,
  coordinationQueries as sql,
} from "./postgres-coordination-schema.ts";

export type PostgresCoordinationOptions = CoordinationOptions &
  (
    | { url: string; poolSize: number }
    /** A pool shared with other stores; it is not ended on close. */
    | { database: PostgresDatabase }
  );

interface LeaseRow {
  name: string;
  holder: string;
  token: string;
  expires_at: string;
}

interface ValueRow {
  value: string;
  version: string;
  expires_at: string | null;
}

// bigint columns arrive as text; tokens, versions and times stay far below 2^53.
function leaseFromRow(row: LeaseRow): Lease {
  return {
    name: row.name,
    holder: row.holder,
    token: Number(row.token),
    expiresAt: Number(row.expires_at),
  };
}

function valueFromRow(row: ValueRow | undefined): SharedValue | undefined {
  if (row === undefined) return undefined;
  return {
    value: row.value,
    version: Number(row.version),
    expiresAt: row.expires_at === null ? undefined : Number(row.expires_at),
  };
}

/** Coordination on PostgreSQL, shared by every instance on the database; each operation is one statement. */
export async function openPostgresCoordination(
  options: PostgresCoordinationOptions,
): Promise<CoordinationStore> {
  const now = options.now ?? (() => Date.now());
  const owned = "url" in options;
  const database = owned
    ? openPostgresDatabase({ url: options.url, poolSize: options.poolSize })
    : options.database;
  try {
    await migratePostgres(database, coordinationMigrations);
  } catch (error) {
    if (owned) await database.end();
    throw error;
  }
  let closed = false;

  function assertOpen(): void {
    if (closed) throw closedCoordinationError();
  }

  function expiry(options: ValueOptions, at: number): number | null {
    if (options.ttlMs === undefined) return null;
    assertTtl(options.ttlMs);
    return at + options.ttlMs;
  }

  async function leaseQuery(text: string, values: readonly unknown[]) {
    const { rows } = await database.query<LeaseRow>(text, values);
    return rows[0] && leaseFromRow(rows[0]);
  }

  return {
    async acquireLease(name, holder, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      const at = now();
      return leaseQuery(sql.acquireLease, [name, holder, at, at + ttlMs]);
    },

    async renewLease(name, holder, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      const at = now();
      return leaseQuery(sql.renewLease, [name, holder, at, at + ttlMs]);
    },

    async renewLeases(names, holder, ttlMs) {
      assertOpen();
      assertTtl(ttlMs);
      if (names.length === 0) return [];
      const at = now();
      const { rows } = await database.query<{ name: string }>(sql.renewLeases, [
        names,
        holder,
        at,
        at + ttlMs,
      ]);
      return rows.map((row) => row.name);
    },

    async releaseLease(name, holder) {
      assertOpen();
      const { rowCount } = await database.query(sql.releaseLease, [name, holder, now()]);
      return rowCount === 1;
    },

    async listLeases(filter = {}) {
      assertOpen();
      const values = [now(), filter.holder ?? null, filter.prefix ?? null];
      return (await database.query<LeaseRow>(sql.listLeases, values)).rows.map(leaseFromRow);
    },

    async claimKey(key, value, ttlMs): Promise<KeyClaim> {
      assertOpen();
      assertTtl(ttlMs);
      // A claim committed after this statement's snapshot began conflicts but is not yet visible: ask again.
      for (let attempt = 1; ; attempt++) {
        const at = now();
        const { rows } = await database.query<{
          claimed: boolean;
          value: string;
          expires_at: string;
        }>(sql.claimKey, [key, value, at, at + ttlMs]);
        const row = rows[0];
        if (row?.claimed) return { claimed: true, expiresAt: Number(row.expires_at) };
        if (row) return { claimed: false, value: row.value, expiresAt: Number(row.expires_at) };
        if (attempt >= 5) throw new Error(`Idempotency key ${key} could not be claimed or read.`);
      }
    },

    async getValue(key) {
      assertOpen();
      return valueFromRow((await database.query<ValueRow>(sql.getValue, [key, now()])).rows[0]);
    },

    async setValue(key, value, options = {}) {
      assertOpen();
      const at = now();
      const { rows } = await database.query<ValueRow>(sql.setValue, [
        key,
        value,
        expiry(options, at),
      ]);
      const written = valueFromRow(rows[0]);
      if (written === undefined) throw new Error(`Value ${key} was not written.`);
      return written;
    },

    async compareAndSetValue(key, expectedVersion, value, options = {}) {
      assertOpen();
      const at = now();
      const expiresAt = expiry(options, at);
      const { rows } =
        expectedVersion === "absent"
          ? await database.query<ValueRow>(sql.insertAbsentValue, [key, value, expiresAt, at])
          : await database.query<ValueRow>(sql.replaceValue, [
              key,
              value,
              expiresAt,
              at,
              expectedVersion,
            ]);
      return valueFromRow(rows[0]);
    },

    async purgeExpired() {
      assertOpen();
      const { rows } = await database.query<{ purged: string }>(sql.purge, [now()]);
      return Number(rows[0]?.purged ?? 0);
    },

    isHealthy() {
      return !closed && database.isHealthy();
    },

    async close() {
      if (closed) return;
      closed = true;
      if (owned) await database.end();
    },
  };
}
