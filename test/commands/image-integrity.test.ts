import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createWholenessScanner } from "../../commands/image-integrity.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url));

/** The verdict when `bytes` arrive in pieces of `size` (as an upload streams in). */
function wholeInPieces(bytes: Buffer, mime: string, size: number): boolean {
  const scanner = createWholenessScanner();
  for (let offset = 0; offset < bytes.length; offset += size) {
    scanner.push(bytes.subarray(offset, offset + size));
  }
  return scanner.isWhole(mime);
}

describe("an image's wholeness, read as it streams", () => {
  const images: [string, string][] = [
    ["tiny.jpg", "image/jpeg"],
    ["tiny.png", "image/png"],
    ["tiny.webp", "image/webp"],
  ];
  for (const [name, mime] of images) {
    it(`${name}: whole in any piece size, cut off in any piece size`, () => {
      const bytes = fixture(name);
      // PNG ends in IEND and its 4-byte checksum: cut past both.
      const cut = bytes.subarray(0, bytes.length - 12);
      for (const size of [1, 2, 3, 5, 64, bytes.length]) {
        expect(wholeInPieces(bytes, mime, size)).toBe(true);
        expect(wholeInPieces(cut, mime, size)).toBe(false);
      }
    });
  }
});
