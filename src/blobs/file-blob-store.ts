import { randomUUID } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { z } from "zod";
import { privateFileMode, privateFolderMode } from "../util/data-permissions.ts";
import { fileSink } from "../util/file-sink.ts";
import {
  assertBlobKey,
  type BlobInfo,
  type BlobMetadata,
  type BlobStore,
  type ByteRange,
  blobKeyPattern,
} from "./blob-store.ts";

const metadataSchema = z.object({
  contentType: z.string().min(1),
  fileName: z.string(),
  expiresAt: z.number().int().nonnegative(),
});

const metadataSuffix = ".json";
const partialInfix = ".partial-";

export interface FileBlobStoreOptions {
  /** Owned by the store, e.g. `DATA_DIR/media`: `<key>` holds the bytes, `<key>.json` the rest. */
  directory: string;
  /** Bytes left without metadata (an interrupted put) are deleted once older than this. */
  orphanAgeMs: number;
  now?: () => number;
}

/** Blobs as files in one directory of this machine: the single-process default. */
export function createFileBlobStore(options: FileBlobStoreOptions): BlobStore {
  const { directory, orphanAgeMs } = options;
  const now = options.now ?? Date.now;
  const fileOf = (key: string) => join(directory, key);

  async function readMetadata(key: string): Promise<BlobMetadata | undefined> {
    if (!blobKeyPattern.test(key)) return undefined;
    const text = await readFile(`${fileOf(key)}${metadataSuffix}`, "utf8").catch(() => "");
    try {
      const parsed = metadataSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async function statLive(key: string): Promise<BlobInfo | undefined> {
    const metadata = await readMetadata(key);
    if (!metadata || metadata.expiresAt <= now()) return undefined;
    const info = await stat(fileOf(key)).catch(() => undefined);
    return info?.isFile() ? { ...metadata, sizeBytes: info.size } : undefined;
  }

  async function remove(key: string): Promise<void> {
    if (!blobKeyPattern.test(key)) return;
    await rm(`${fileOf(key)}${metadataSuffix}`, { force: true });
    await rm(fileOf(key), { force: true });
  }

  return {
    async put(key, body, metadata) {
      assertBlobKey(key);
      const kept = metadataSchema.parse(metadata);
      await mkdir(directory, { recursive: true, mode: privateFolderMode });
      const file = fileOf(key);
      // Streamed beside the blob first, so a failed body leaves what was there.
      const partial = join(directory, `${key}${partialInfix}${randomUUID()}`);
      const sink = fileSink(partial, { flags: "wx", mode: privateFileMode });
      try {
        await pipeline(body, sink.stream);
      } catch (error) {
        await sink.closed();
        await rm(partial, { force: true });
        throw error;
      }
      await remove(key);
      await rename(partial, file);
      // Written last: bytes without their metadata are never served, and the sweep removes them.
      await writeFile(`${file}${metadataSuffix}`, JSON.stringify(kept), {
        flag: "wx",
        mode: privateFileMode,
      });
      return { ...kept, sizeBytes: (await stat(file)).size };
    },

    stat: statLive,

    async open(key: string, range?: ByteRange): Promise<Readable | undefined> {
      if (!(await statLive(key))) return undefined;
      return createReadStream(fileOf(key), range ?? {});
    },

    remove,

    async sweep() {
      const names = await readdir(directory).catch(() => [] as string[]);
      const time = now();
      let removed = 0;
      for (const name of names) {
        if (name.includes(partialInfix)) {
          const started = (await stat(join(directory, name)).catch(() => undefined))?.mtimeMs;
          if (started !== undefined && started < time - orphanAgeMs) {
            await rm(join(directory, name), { force: true });
          }
          continue;
        }
        if (!blobKeyPattern.test(name)) continue;
        const metadata = await readMetadata(name);
        const expired = metadata
          ? metadata.expiresAt <= time
          : ((await stat(fileOf(name)).catch(() => undefined))?.mtimeMs ?? time) <
            time - orphanAgeMs;
        if (!expired) continue;
        await remove(name);
        removed += 1;
      }
      return removed;
    },

    localPath(key) {
      if (!blobKeyPattern.test(key)) return undefined;
      const path = fileOf(key);
      return existsSync(`${path}${metadataSuffix}`) ? path : undefined;
    },
  };
}
