import type { Readable } from "node:stream";

/** What is kept beside a blob's bytes. */
export interface BlobMetadata {
  contentType: string;
  fileName: string;
  /** When the blob stops existing (epoch ms); `sweep` deletes it after that. */
  expiresAt: number;
}

export interface BlobInfo extends BlobMetadata {
  sizeBytes: number;
}

/** Bytes `start` to `end`, both included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Files a second instance must reach too (uploaded inputs behind signed links, videos being
 * delivered): in DATA_DIR by default, in PostgreSQL with DATABASE_URL. Bytes are streamed in and
 * out, never held whole. An expired blob behaves as absent at once; `sweep` reclaims its space.
 */
export interface BlobStore {
  /** Streams `body` in under `key`, replacing what was there once the whole body is in. */
  put(key: string, body: AsyncIterable<Uint8Array>, metadata: BlobMetadata): Promise<BlobInfo>;
  /** The live blob's metadata and size; undefined when absent or expired. */
  stat(key: string): Promise<BlobInfo | undefined>;
  /** The live blob's bytes (or one range of them, clamped by the caller); undefined when absent. */
  open(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** Deletes a blob now (idempotent). */
  remove(key: string): Promise<void>;
  /** Deletes expired blobs and what interrupted puts left behind; returns how many blobs went. */
  sweep(): Promise<number>;
  /** The file holding a blob, when the store keeps it on this machine's disk. */
  localPath?(key: string): string | undefined;
}

/** Keys are plain names: no path, no dots, so nothing can be smuggled into a file name. */
export const blobKeyPattern = /^[A-Za-z0-9_-]{1,128}$/;

export function assertBlobKey(key: string): void {
  if (!blobKeyPattern.test(key)) {
    throw new RangeError(
      `Blob key ${JSON.stringify(key)} must be 1 to 128 letters, digits, - or _.`,
    );
  }
}
