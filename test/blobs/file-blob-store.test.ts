import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileBlobStore } from "../../src/blobs/file-blob-store.ts";
import { blobStoreContract } from "../contracts/blob-store.contract.ts";

blobStoreContract("file blob store", async (now) => {
  const directory = await mkdtemp(join(tmpdir(), "blobs-"));
  const open = () => createFileBlobStore({ directory, orphanAgeMs: 60_000, now });
  return {
    store: open(),
    peer: async () => open(),
    chunkBytes: 64 * 1024,
    close: () => rm(directory, { recursive: true, force: true }),
  };
});
