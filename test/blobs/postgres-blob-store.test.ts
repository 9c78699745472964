import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { openPostgresBlobStore } from "../../src/blobs/postgres-blob-store.ts";
import { openPostgresDatabase } from "../../src/postgres/postgres-database.ts";
import { blobStoreContract } from "../contracts/blob-store.contract.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";

const databases = testDatabases();

blobStoreContract("postgres blob store", async (now) => {
  const database = openPostgresDatabase({ url: await databases.create(), poolSize: 4 });
  // Small chunks, so a few kilobytes already span several rows.
  const open = () =>
    openPostgresBlobStore({
      database,
      namespace: "media",
      chunkBytes: 1_000,
      orphanAgeMs: 60 * 60_000,
      now,
    });
  return {
    store: await open(),
    peer: open,
    async interruptPut() {
      await database.query(
        "INSERT INTO blob_pending (content_id, namespace, started_at) VALUES ('crashed', 'media', $1)",
        [now()],
      );
      await database.query(
        "INSERT INTO blob_chunks (content_id, position, bytes) VALUES ('crashed', 0, '\\x00ff')",
      );
    },
    async leftovers() {
      const { rows } = await database.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM blob_chunks
          WHERE content_id NOT IN (SELECT content_id FROM blobs)`,
      );
      return rows[0]?.count ?? 0;
    },
    close: () => database.end(),
  };
});

it("keeps namespaces apart and stores a chunk per row", async () => {
  const database = openPostgresDatabase({ url: await databases.create(), poolSize: 2 });
  const options = { database, chunkBytes: 4, orphanAgeMs: 1_000 };
  const media = await openPostgresBlobStore({ ...options, namespace: "media" });
  const videos = await openPostgresBlobStore({ ...options, namespace: "videos" });
  const metadata = { contentType: "text/plain", fileName: "a.txt", expiresAt: Date.now() + 60_000 };
  await media.put("same", Readable.from([Buffer.from("0123456789")]), metadata);
  expect(await videos.stat("same")).toBeUndefined();
  const { rows } = await database.query<{ position: number; length: number }>(
    "SELECT position, length(bytes) AS length FROM blob_chunks ORDER BY position",
  );
  expect(rows).toEqual([
    { position: 0, length: 4 },
    { position: 1, length: 4 },
    { position: 2, length: 2 },
  ]);
  await database.end();
});
