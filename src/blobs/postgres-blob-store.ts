import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { PostgresDatabase } from "../postgres/postgres-database.ts";
import { migratePostgres } from "../postgres/postgres-migrations.ts";
import {
  assertBlobKey,
  type BlobInfo,
  type BlobStore,
  type ByteRange,
  blobKeyPattern,
} from "./blob-store.ts";
import { blobMigrations, blobQueries as sql } from "./postgres-blob-schema.ts";

export interface PostgresBlobStoreOptions {
  /** A pool shared with the other stores; not ended here. */
  database: PostgresDatabase;
  /** Keeps one kind of blob apart from another (`media`, `videos`). */
  namespace: string;
  /** Bytes per row; 1 MiB by default. */
  chunkBytes?: number;
  /** A put unfinished after this long was interrupted; the sweep deletes its chunks. */
  orphanAgeMs: number;
  now?: () => number;
}

interface BlobRow {
  content_id: string;
  content_type: string;
  file_name: string;
  size_bytes: string;
  chunk_bytes: number;
  expires_at: string;
}

export const defaultChunkBytes = 1024 ** 2;

/** Cuts a stream into pieces of exactly `size` bytes (the last one shorter). */
async function* chunksOf(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const piece of body) {
    let rest = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (length + rest.length >= size) {
      const take = size - length;
      pending.push(rest.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      length = 0;
      rest = rest.subarray(take);
    }
    if (rest.length > 0) {
      pending.push(rest);
      length += rest.length;
    }
  }
  if (length > 0) yield Buffer.concat(pending);
}

function infoOf(row: BlobRow): BlobInfo {
  return {
    contentType: row.content_type,
    fileName: row.file_name,
    sizeBytes: Number(row.size_bytes),
    expiresAt: Number(row.expires_at),
  };
}

/** Blobs in PostgreSQL, reachable from every instance on the database. */
export async function openPostgresBlobStore(options: PostgresBlobStoreOptions): Promise<BlobStore> {
  const { database, namespace, orphanAgeMs } = options;
  const chunkBytes = options.chunkBytes ?? defaultChunkBytes;
  const now = options.now ?? Date.now;
  await migratePostgres(database, blobMigrations);

  async function dropContents(ids: string[]): Promise<void> {
    if (ids.length > 0) await database.query(sql.dropContents, [ids]);
  }

  async function live(key: string): Promise<BlobRow | undefined> {
    if (!blobKeyPattern.test(key)) return undefined;
    const { rows } = await database.query<BlobRow>(sql.stat, [namespace, key, now()]);
    return rows[0];
  }

  /** Reads the chunks holding `start`…`end` one at a time, each sliced on the server. */
  async function* bytesOf(row: BlobRow, start: number, end: number): AsyncGenerator<Buffer> {
    const size = row.chunk_bytes;
    for (let position = Math.floor(start / size); position * size <= end; position++) {
      const first = Math.max(start, position * size);
      const last = Math.min(end, (position + 1) * size - 1);
      const { rows } = await database.query<{ bytes: Buffer }>(sql.read, [
        row.content_id,
        position,
        first - position * size + 1,
        last - first + 1,
      ]);
      const bytes = rows[0]?.bytes;
      // Replaced or removed while being read.
      if (!bytes) throw new Error(`Blob ${namespace}/${row.content_id} changed while being read.`);
      yield bytes;
    }
  }

  return {
    async put(key, body, metadata) {
      assertBlobKey(key);
      const contentId = randomUUID();
      await database.query(sql.begin, [contentId, namespace, now()]);
      let sizeBytes = 0;
      try {
        let position = 0;
        for await (const chunk of chunksOf(body, chunkBytes)) {
          await database.query(sql.chunk, [contentId, position, chunk]);
          position += 1;
          sizeBytes += chunk.length;
        }
        await database.transaction(async (query) => {
          await query(sql.lockKey, [`${namespace}:${key}`]);
          const { rows } = await query<{ content_id: string }>(sql.current, [namespace, key]);
          await query(sql.publish, [
            namespace,
            key,
            contentId,
            metadata.contentType,
            metadata.fileName,
            sizeBytes,
            chunkBytes,
            metadata.expiresAt,
          ]);
          await query(sql.settle, [contentId]);
          const replaced = rows.map((row) => row.content_id);
          if (replaced.length > 0) await query(sql.dropContents, [replaced]);
        });
      } catch (error) {
        await database.query(sql.settle, [contentId]).catch(() => undefined);
        await dropContents([contentId]).catch(() => undefined);
        throw error;
      }
      return { ...metadata, sizeBytes };
    },

    async stat(key) {
      const row = await live(key);
      return row && infoOf(row);
    },

    async open(key: string, range?: ByteRange) {
      const row = await live(key);
      if (!row) return undefined;
      const size = Number(row.size_bytes);
      const { start, end } = range ?? { start: 0, end: size - 1 };
      return Readable.from(bytesOf(row, start, Math.min(end, size - 1)), { objectMode: false });
    },

    async remove(key) {
      if (!blobKeyPattern.test(key)) return;
      await database.transaction(async (query) => {
        await query(sql.lockKey, [`${namespace}:${key}`]);
        const { rows } = await query<{ content_id: string }>(sql.remove, [namespace, key]);
        if (rows.length > 0) await query(sql.dropContents, [rows.map((row) => row.content_id)]);
      });
    },

    async sweep() {
      const time = now();
      const expired = await database.query<{ content_id: string }>(sql.expire, [namespace, time]);
      await dropContents(expired.rows.map((row) => row.content_id));
      const abandoned = await database.query<{ content_id: string }>(sql.abandon, [
        namespace,
        time - orphanAgeMs,
      ]);
      await dropContents(abandoned.rows.map((row) => row.content_id));
      return expired.rows.length;
    },
  };
}
