import { join } from "node:path";
import type { Logger } from "../logger.ts";
import type { PostgresDatabase } from "../postgres/postgres-database.ts";
import type { BlobStore } from "./blob-store.ts";
import { createFileBlobStore } from "./file-blob-store.ts";
import { openPostgresBlobStore } from "./postgres-blob-store.ts";
import { createS3BlobStore } from "./s3-blob-store.ts";
import { createS3Client, type S3Settings } from "./s3-client.ts";

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

/**
 * S3_BUCKET: blobs in the bucket (videos only with DATABASE_URL, when there are instances to share
 * them with); else DATABASE_URL: blobs in PostgreSQL; else files in DATA_DIR.
 */
export async function openBlobStores(options: {
  postgres: PostgresDatabase | undefined;
  s3?: S3Settings | undefined;
  dataDirectory: string;
  logger: Logger;
  sweepIntervalMs?: number;
}): Promise<BlobStores> {
  const { postgres, s3, logger } = options;
  const client = s3 && createS3Client(s3);
  const inBucket = (namespace: string) =>
    client &&
    s3 &&
    createS3BlobStore({
      client,
      bucket: s3.bucket,
      prefix: `${s3.prefix}${namespace}/`,
      orphanAgeMs,
    });
  const media =
    inBucket("media") ??
    (postgres
      ? await openPostgresBlobStore({ database: postgres, namespace: "media", orphanAgeMs })
      : createFileBlobStore({ directory: join(options.dataDirectory, "media"), orphanAgeMs }));
  const videos =
    postgres &&
    (inBucket("videos") ??
      (await openPostgresBlobStore({ database: postgres, namespace: "videos", orphanAgeMs })));
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
      client?.destroy();
    },
  };
}
