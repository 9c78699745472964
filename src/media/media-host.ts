/** Bytes to publish: a file already on disk, or bytes in memory. */
export type MediaSource = ({ path: string } | { bytes: Uint8Array }) & {
  contentType: string;
  fileName: string;
};

export interface PublishedMedia {
  /** Where the provider (and only whoever holds this URL) can fetch the bytes until `expiresAt`. */
  url: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Stops serving and deletes the copy now (idempotent). */
  release(): Promise<void>;
}

/**
 * When the published link stops working, as a job should record it: a `data:` URI carries the
 * bytes themselves and never expires, whatever the host keeps on its side.
 */
export function linkExpiry(published: PublishedMedia): { expiresAt?: number } {
  return published.url.startsWith("data:") ? {} : { expiresAt: published.expiresAt };
}

/** Longest time a published input stays reachable. */
export const maxMediaTtlMs = 60 * 60_000;

/**
 * Makes user uploads reachable by the provider for a short time. The first implementation is the
 * bot's own HTTP server (`http-media-host.ts`); an object store could replace it.
 */
export interface MediaHost {
  publish(source: MediaSource, options: { ttlMs: number }): Promise<PublishedMedia>;
  /**
   * The local file behind one of this host's URLs, when the signature and expiry check out; lets
   * an in-process consumer (the simulator) read inputs without HTTP. Undefined for anything else.
   */
  resolveLocalPath(url: string): string | undefined;
}
