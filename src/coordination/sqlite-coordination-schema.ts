/**
 * The embedded coordination tables (DATA_DIR/coordination.sqlite), versioned by `PRAGMA user_version`.
 * One revision counter feeds lease tokens and value versions, so purging rows never lets a number repeat.
 * Append migrations; never edit one that has shipped.
 */
export const coordinationSqliteMigrations: readonly string[] = [
  `CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL) STRICT;
   INSERT INTO revision (id, value) VALUES (1, 0);
   CREATE TABLE leases (
     name TEXT PRIMARY KEY NOT NULL, holder TEXT NOT NULL, token INTEGER NOT NULL, expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX leases_by_expiry ON leases (expires_at);
   CREATE TABLE idempotency_keys (
     key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
   CREATE TABLE shared_values (
     key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL, expires_at INTEGER
   ) STRICT;
   CREATE INDEX shared_values_by_expiry ON shared_values (expires_at) WHERE expires_at IS NOT NULL;`,
];
