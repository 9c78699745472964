import { UserFacingError } from "../src/errors.ts";

const pngEnd = Buffer.from("IEND", "latin1");
const jpegScanStart = Buffer.from([0xff, 0xda]);
const jpegEnd = Buffer.from([0xff, 0xd9]);

/** Whether the bytes reach the end their own format announces (a sniffed type says nothing of that). */
function isWhole(bytes: Buffer, mime: string): boolean {
  if (mime === "image/png") return bytes.lastIndexOf(pngEnd) > 8;
  if (mime === "image/jpeg") {
    // The end marker must follow the last scan: an embedded thumbnail has its own, earlier one.
    const scan = bytes.lastIndexOf(jpegScanStart);
    return scan > 0 && bytes.indexOf(jpegEnd, scan) > scan;
  }
  if (mime === "image/webp") {
    return bytes.length >= 12 && bytes.length >= bytes.readUInt32LE(4) + 8;
  }
  return true;
}

/**
 * Refuses an image cut off in transit or on disk: its first bytes say JPEG, PNG or WebP, but the
 * file stops before its format's end. The model would fail on it later, after the job was paid for.
 */
export function checkImageIsWhole(bytes: Uint8Array, mime: string, fileName: string): void {
  if (isWhole(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), mime)) return;
  throw new UserFacingError(
    `${fileName} is a cut-off ${mime.replace("image/", "").toUpperCase()} (${bytes.byteLength} bytes, its end is missing); attach the whole image again.`,
    { field: "attachments", code: "MEDIA_REJECTED" },
  );
}
