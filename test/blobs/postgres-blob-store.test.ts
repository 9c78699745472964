import { Readable } from "node:stream";
import { expect, it } from "vitest";
import { openPostgresBlobStore } from "../../src/blobs/postgres-blob-store.ts";
import { openPostgresDatabase } from "../../src/postgres/postgres-database.ts";
import { blobStoreContract } from "../contracts/blob-store.contract.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";

const databases = testDatabases();
const chunkBytes = 1024;

blobStoreContract("postgres blob store", async (now) => {
  const url = await databases.create();
  const databasesOpened = [openPostgresDatabase({ url, poolSize: 2 })];
  const open = async () => {
    const database = openPostgresDatabase({ url, poolSize: 2 });
    databasesOpened.push(database);
    return openPostgresBlobStore({
      database,
      namespace: "media",
      chunkBytes,
      orphanAgeMs: 60_000,
      now,
    });
  };
  const [first] = databasesOpened;
  if (!first) throw new Error("no database");
  return {
    store: await openPostgresBlobStore({
      database: first,
      namespace: "media",
      chunkBytes,
      orphanAgeMs: 60_000,
      now,
    }),
    peer: open,
    chunkBytes,
    close: async () => {
      for (const database of databasesOpened) await database.end();
    },
  };
});

it("keeps bytes as chunk rows, one namespace apart from another, and leaves none behind", async () => {
  const database = openPostgresDatabase({ url: await databases.create(), poolSize: 2 });
  const media = await openPostgresBlobStore({
    database,
    namespace: "media",
    chunkBytes,
    orphanAgeMs: 1,
  });
  const videos = await openPostgresBlobStore({
    database,
    namespace: "videos",
    chunkBytes,
    orphanAgeMs: 1,
  });
  const metadata = { contentType: "video/mp4", fileName: "a.mp4", expiresAt: Date.now() + 60_000 };
  await media.put("same", Readable.from([Buffer.alloc(chunkBytes * 2 + 1, 1)]), metadata);
  await videos.put("same", Readable.from([Buffer.alloc(3, 2)]), metadata);
  const count = async () =>
    Number((await database.query("SELECT count(*) AS n FROM blob_chunks")).rows[0]?.n);
  expect(await count()).toBe(4);
  expect(await videos.stat("same")).toMatchObject({ sizeBytes: 3 });
  await media.remove("same");
  expect(await videos.stat("same")).toMatchObject({ sizeBytes: 3 });
  expect(await count()).toBe(1);
  await videos.remove("same");
  expect(await count()).toBe(0);
  await database.end();
});
