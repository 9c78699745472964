import type { PostgresMigrations } from "../postgres/postgres-migrations.ts";

/**
 * The coordination tables on PostgreSQL. One sequence feeds lease tokens and value versions, so purging rows
 * never lets a number repeat; the expiry indexes make purging a range delete. Append; never edit one.
 */
export const coordinationMigrations: PostgresMigrations = {
  component: "coordination",
  migrations: [
    `CREATE SEQUENCE coordination_revisions;
     CREATE TABLE coordination_leases (
       name text PRIMARY KEY, holder text NOT NULL, token bigint NOT NULL, expires_at bigint NOT NULL
     );
     CREATE INDEX coordination_leases_by_expiry ON coordination_leases (expires_at);
     CREATE TABLE coordination_keys (key text PRIMARY KEY, value text NOT NULL, expires_at bigint NOT NULL);
     CREATE INDEX coordination_keys_by_expiry ON coordination_keys (expires_at);
     CREATE TABLE coordination_values (
       key text PRIMARY KEY, value text NOT NULL, version bigint NOT NULL, expires_at bigint
     );
     CREATE INDEX coordination_values_by_expiry ON coordination_values (expires_at)
       WHERE expires_at IS NOT NULL;`,
  ],
};

const lease = "name, holder, token, expires_at";
const value = "value, version, expires_at";

/** Each operation is one statement; $now is the caller's clock, so every instance judges expiry alike. */
export const coordinationQueries = {
  /** $1 name, $2 holder, $3 now, $4 expires at. A live lease of another holder makes it return no row. */
  acquireLease: `INSERT INTO coordination_leases AS held (name, holder, token, expires_at)
      VALUES ($1, $2, nextval('coordination_revisions'), $4)
      ON CONFLICT (name) DO UPDATE SET
        holder = excluded.holder,
        token = CASE WHEN held.holder = excluded.holder AND held.expires_at > $3
                     THEN held.token ELSE excluded.token END,
        expires_at = excluded.expires_at
      WHERE held.holder = excluded.holder OR held.expires_at <= $3
      RETURNING ${lease}`,
  renewLease: `UPDATE coordination_leases SET expires_at = $4
      WHERE name = $1 AND holder = $2 AND expires_at > $3 RETURNING ${lease}`,
  renewLeases: `UPDATE coordination_leases SET expires_at = $4
      WHERE name = ANY($1::text[]) AND holder = $2 AND expires_at > $3 RETURNING name`,
  releaseLease:
    "DELETE FROM coordination_leases WHERE name = $1 AND holder = $2 AND expires_at > $3",
  listLeases: `SELECT ${lease} FROM coordination_leases
      WHERE expires_at > $1 AND ($2::text IS NULL OR holder = $2) AND ($3::text IS NULL OR starts_with(name, $3))
      ORDER BY name`,
  /** $1 key, $2 value, $3 now, $4 expires at: returns claimed = true for the winner, else the recorded value. */
  claimKey: `WITH claimed AS (
        INSERT INTO coordination_keys AS kept (key, value, expires_at) VALUES ($1, $2, $4)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
        WHERE kept.expires_at <= $3
        RETURNING value, expires_at)
      SELECT true AS claimed, value, expires_at FROM claimed
      UNION ALL
      SELECT false, value, expires_at FROM coordination_keys
      WHERE key = $1 AND expires_at > $3 AND NOT EXISTS (SELECT FROM claimed)`,
  getValue: `SELECT ${value} FROM coordination_values
      WHERE key = $1 AND (expires_at IS NULL OR expires_at > $2)`,
  /** $1 key, $2 value, $3 expires at (or null). */
  setValue: `INSERT INTO coordination_values (key, value, version, expires_at)
      VALUES ($1, $2, nextval('coordination_revisions'), $3)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,
        expires_at = excluded.expires_at
      RETURNING ${value}`,
  /** $1 key, $2 value, $3 expires at, $4 now: only where nothing lives under the key. */
  insertAbsentValue: `INSERT INTO coordination_values AS kept (key, value, version, expires_at)
      VALUES ($1, $2, nextval('coordination_revisions'), $3)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,
        expires_at = excluded.expires_at
      WHERE kept.expires_at IS NOT NULL AND kept.expires_at <= $4
      RETURNING ${value}`,
  /** $1 key, $2 value, $3 expires at, $4 now, $5 expected version. */
  replaceValue: `UPDATE coordination_values
      SET value = $2, version = nextval('coordination_revisions'), expires_at = $3
      WHERE key = $1 AND version = $5 AND (expires_at IS NULL OR expires_at > $4)
      RETURNING ${value}`,
  purge: `WITH leases AS (DELETE FROM coordination_leases WHERE expires_at <= $1 RETURNING 1),
      keys AS (DELETE FROM coordination_keys WHERE expires_at <= $1 RETURNING 1),
      shared AS (DELETE FROM coordination_values WHERE expires_at <= $1 RETURNING 1)
      SELECT (SELECT count(*) FROM leases) + (SELECT count(*) FROM keys) + (SELECT count(*) FROM shared)
        AS purged`,
} as const;
