import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileBlobStore } from "../../src/blobs/file-blob-store.ts";
import { blobStoreContract } from "../contracts/blob-store.contract.ts";

blobStoreContract("file blob store", async (now) => {
  const root = await mkdtemp(join(tmpdir(), "blobs-"));
  const directory = join(root, "media");
  const open = async () => createFileBlobStore({ directory, orphanAgeMs: 60 * 60_000, now });
  return {
    store: await open(),
    peer: open,
    async interruptPut(key) {
      // Bytes without their metadata, dated by the test's clock.
      const file = join(directory, key);
      await mkdir(directory, { recursive: true });
      await writeFile(file, "half a video");
      await utimes(file, now() / 1000, now() / 1000);
    },
    async leftovers() {
      const names = await readdir(directory).catch(() => [] as string[]);
      return names.filter((name) => !name.endsWith(".json") && !names.includes(`${name}.json`))
        .length;
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
});
