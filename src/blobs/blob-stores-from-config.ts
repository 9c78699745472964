import { join } from "node:path";
import type { Logger } from "../logger.ts";
import type { PostgresDatabase } from "../postgres/postgres-database.ts";
import type { BlobStore } from "./blob-store.ts";
import { createFileBlobStore } from "./file-blob-store.ts";
import { openPostgresBlobStore } from "./postgres-blob-store.ts";

/** An interrupted put is given this long before its leftovers are deleted. */
const orphanAgeMs = 60 * 60_000;

export interface BlobStores {
  /** Uploaded inputs behind signed `/media/` links. */
  media: BlobStore;
  /** Downloaded videos, shared so that any instance delivers or serves them; none for one process. */
  videos: BlobStore | undefined;
  /** Deletes expired videos now and then (the media host sweeps its own). */
  start(): void;
  stop(): void;
}

/** DATABASE_URL: blobs in PostgreSQL, reachable from every instance; else files in DATA_DIR. */
export async function openBlobStores(options: {
  postgres: PostgresDatabase | undefined;
  dataDirectory: string;
  logger: Logger;
  sweepIntervalMs?: number;
}): Promise<BlobStores> {
  const { postgres, logger } = options;
  const media = postgres
    ? await openPostgresBlobStore({ database: postgres, namespace: "media", orphanAgeMs })
    : createFileBlobStore({ directory: join(options.dataDirectory, "media"), orphanAgeMs });
  const videos =
    postgres &&
    (await openPostgresBlobStore({ database: postgres, namespace: "videos", orphanAgeMs }));
  let timer: NodeJS.Timeout | undefined;
  return {
    media,
    videos: videos || undefined,
    start() {
      if (!videos || timer) return;
      timer = setInterval(
        () => {
          videos.sweep().then(
            (removed) => removed > 0 && logger.debug({ removed }, "expired shared videos deleted"),
            (error: unknown) => logger.warn({ err: error }, "shared video sweep failed"),
          );
        },
        options.sweepIntervalMs ?? 10 * 60_000,
      );
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
