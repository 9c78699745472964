import { UserFacingError } from "../src/errors.ts";

const pngEnd = Buffer.from("IEND", "latin1");
const jpegScanStart = Buffer.from([0xff, 0xda]);
const jpegEnd = Buffer.from([0xff, 0xd9]);

/**
 * Reads a file chunk by chunk and remembers only what tells whether it reaches the end its own
 * format announces (a sniffed type says nothing of that): where PNG's IEND was, where JPEG's last
 * scan started and whether an end marker follows it, and WebP's first 12 bytes. Nothing is held.
 */
export function createWholenessScanner() {
  let size = 0;
  let carry = Buffer.alloc(0);
  let head = Buffer.alloc(0);
  let pngEndAt = -1;
  let lastScan = -1;
  let endAfterScan = false;
  return {
    push(chunk: Uint8Array): void {
      const joined = Buffer.concat([carry, chunk]);
      const base = size - carry.length;
      const end = joined.lastIndexOf(pngEnd);
      if (end >= 0) pngEndAt = Math.max(pngEndAt, base + end);
      const scan = joined.lastIndexOf(jpegScanStart);
      if (scan >= 0 && base + scan > lastScan) {
        lastScan = base + scan;
        endAfterScan = joined.indexOf(jpegEnd, scan + 1) > scan;
      } else if (lastScan >= 0 && !endAfterScan) {
        endAfterScan = joined.indexOf(jpegEnd, Math.max(0, lastScan - base + 1)) >= 0;
      }
      if (head.length < 12) head = Buffer.concat([head, chunk]).subarray(0, 12);
      size += chunk.byteLength;
      carry = Buffer.from(joined.subarray(Math.max(0, joined.length - 3)));
    },
    get size() {
      return size;
    },
    isWhole(mime: string): boolean {
      if (mime === "image/png") return pngEndAt > 8;
      // The end marker must follow the last scan: an embedded thumbnail has its own, earlier one.
      if (mime === "image/jpeg") return lastScan > 0 && endAfterScan;
      if (mime === "image/webp") return size >= 12 && size >= head.readUInt32LE(4) + 8;
      return true;
    },
  };
}

export type WholenessScanner = ReturnType<typeof createWholenessScanner>;

/**
 * Refuses an image cut off in transit or on disk: its first bytes say JPEG, PNG or WebP, but the
 * file stops before its format's end. The model would fail on it later, after the job was paid for.
 */
export function checkScannedImageIsWhole(
  scanner: WholenessScanner,
  mime: string,
  fileName: string,
): void {
  if (scanner.isWhole(mime)) return;
  throw new UserFacingError(
    `${fileName} is a cut-off ${mime.replace("image/", "").toUpperCase()} (${scanner.size} bytes, its end is missing); attach the whole image again.`,
    { field: "attachments", code: "MEDIA_REJECTED" },
  );
}

export function checkImageIsWhole(bytes: Uint8Array, mime: string, fileName: string): void {
  const scanner = createWholenessScanner();
  scanner.push(bytes);
  checkScannedImageIsWhole(scanner, mime, fileName);
}
