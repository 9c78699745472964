import { RequestRefused } from "./http-io.ts";
import type { UploadLimits } from "./uploads.ts";

export const defaultUploadLimits: UploadLimits = {
  /** The largest input any model takes (50 MB of reference video). */
  maxBytes: 50 * 1024 * 1024,
  concurrentPerUser: 4,
  concurrentTotal: 16,
  quotaBytes: 2 * 1024 ** 3,
};

interface Kept {
  sizeBytes: number;
  expiresAt: number;
  release(): Promise<void>;
}

/**
 * What uploads may hold at once: uploads in progress per visitor and in all, and the disk kept for
 * uploaded media. An upload reserves its declared size (or the largest allowed) before it is
 * read; when that would pass the quota, expired uploads are removed, oldest first, and if it is
 * still full the upload is refused naming the limit.
 */
export function createUploadLedger(limits: UploadLimits, now: () => number) {
  const inProgress = new Map<string, number>();
  let inProgressTotal = 0;
  let reservedBytes = 0;
  const kept: Kept[] = [];
  const keptBytes = () => kept.reduce((sum, file) => sum + file.sizeBytes, 0);

  async function releaseExpired(): Promise<void> {
    kept.sort((left, right) => left.expiresAt - right.expiresAt);
    while (kept[0] && kept[0].expiresAt <= now()) {
      const file = kept.shift();
      await file?.release().catch(() => undefined);
    }
  }

  return {
    /** Takes a place for one upload of up to `bytes`; the returned function gives it back. */
    async admit(visitor: string, bytes: number): Promise<() => void> {
      const mine = inProgress.get(visitor) ?? 0;
      if (mine >= limits.concurrentPerUser) {
        throw new RequestRefused(
          429,
          `You already have ${mine} uploads in progress (PLAYGROUND_UPLOADS_PER_USER is ${limits.concurrentPerUser}); wait for one to finish.`,
        );
      }
      if (inProgressTotal >= limits.concurrentTotal) {
        throw new RequestRefused(
          429,
          `${inProgressTotal} uploads are in progress (PLAYGROUND_UPLOADS_TOTAL is ${limits.concurrentTotal}); try again in a moment.`,
        );
      }
      if (keptBytes() + reservedBytes + bytes > limits.quotaBytes) await releaseExpired();
      const used = keptBytes() + reservedBytes;
      if (used + bytes > limits.quotaBytes) {
        throw new RequestRefused(
          507,
          `The upload space is full: ${used} of ${limits.quotaBytes} bytes are in use (PLAYGROUND_UPLOAD_QUOTA_BYTES); wait for earlier uploads to expire, or attach a smaller file.`,
        );
      }
      inProgress.set(visitor, mine + 1);
      inProgressTotal += 1;
      reservedBytes += bytes;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        reservedBytes -= bytes;
        inProgressTotal -= 1;
        const left = (inProgress.get(visitor) ?? 1) - 1;
        if (left > 0) inProgress.set(visitor, left);
        else inProgress.delete(visitor);
      };
    },
    /** A published upload, counted against the quota until it expires and is removed. */
    keep(file: Kept): void {
      kept.push(file);
    },
  };
}
