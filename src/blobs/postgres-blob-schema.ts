import type { PostgresMigrations } from "../postgres/postgres-migrations.ts";

/**
 * Blobs on PostgreSQL: a row per blob naming its content, and the content as fixed-size bytea chunks,
 * so bytes stream in and out a chunk at a time. A put writes its chunks under a new content id listed
 * in `blob_pending`, then swaps the blob's row to it in one transaction; the sweep removes what a
 * crashed put left. Append; never edit one.
 */
export const blobMigrations: PostgresMigrations = {
  component: "blobs",
  migrations: [
    `CREATE TABLE blobs (
       namespace text NOT NULL, key text NOT NULL, content_id text NOT NULL,
       content_type text NOT NULL, file_name text NOT NULL, size_bytes bigint NOT NULL,
       chunk_bytes integer NOT NULL, expires_at bigint NOT NULL,
       PRIMARY KEY (namespace, key)
     );
     CREATE INDEX blobs_by_expiry ON blobs (namespace, expires_at);
     CREATE TABLE blob_chunks (
       content_id text NOT NULL, position integer NOT NULL, bytes bytea NOT NULL,
       PRIMARY KEY (content_id, position)
     );
     CREATE TABLE blob_pending (
       content_id text PRIMARY KEY, namespace text NOT NULL, started_at bigint NOT NULL
     );
     CREATE INDEX blob_pending_by_start ON blob_pending (namespace, started_at);`,
  ],
};

export const blobQueries = {
  /** $1 content id, $2 namespace, $3 now. */
  begin: "INSERT INTO blob_pending (content_id, namespace, started_at) VALUES ($1, $2, $3)",
  /** $1 content id, $2 position, $3 bytes. */
  chunk: "INSERT INTO blob_chunks (content_id, position, bytes) VALUES ($1, $2, $3)",
  /** $1 "namespace:key": puts and removals of one key take turns. */
  lockKey: "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
  /** $1 namespace, $2 key. */
  current: "SELECT content_id FROM blobs WHERE namespace = $1 AND key = $2",
  /** $1 namespace, $2 key, $3 content id, $4 type, $5 file name, $6 size, $7 chunk bytes, $8 expires at. */
  publish: `INSERT INTO blobs AS blob
        (namespace, key, content_id, content_type, file_name, size_bytes, chunk_bytes, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (namespace, key) DO UPDATE SET
        content_id = excluded.content_id, content_type = excluded.content_type,
        file_name = excluded.file_name, size_bytes = excluded.size_bytes,
        chunk_bytes = excluded.chunk_bytes, expires_at = excluded.expires_at`,
  /** $1 content id. */
  settle: "DELETE FROM blob_pending WHERE content_id = $1",
  /** $1 content ids. */
  dropContents: "DELETE FROM blob_chunks WHERE content_id = ANY($1::text[])",
  /** $1 namespace, $2 key, $3 now. */
  stat: `SELECT content_id, content_type, file_name, size_bytes, chunk_bytes, expires_at FROM blobs
      WHERE namespace = $1 AND key = $2 AND expires_at > $3`,
  /** $1 content id, $2 position, $3 first byte (from 1), $4 length. */
  read: `SELECT substring(bytes FROM $3 FOR $4) AS bytes FROM blob_chunks
      WHERE content_id = $1 AND position = $2`,
  /** $1 namespace, $2 key. */
  remove: "DELETE FROM blobs WHERE namespace = $1 AND key = $2 RETURNING content_id",
  /** $1 namespace, $2 now. */
  expire: "DELETE FROM blobs WHERE namespace = $1 AND expires_at <= $2 RETURNING content_id",
  /** $1 namespace, $2 started before. */
  abandon: "DELETE FROM blob_pending WHERE namespace = $1 AND started_at < $2 RETURNING content_id",
} as const;
