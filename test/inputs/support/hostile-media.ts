import { readFileSync } from "node:fs";
import { join } from "node:path";

const media = join(import.meta.dirname, "..", "..", "fixtures", "media");
export const png = readFileSync(join(media, "tiny.png"));
export const jpg = readFileSync(join(media, "tiny.jpg"));
export const webp = readFileSync(join(media, "tiny.webp"));
export const mp3 = readFileSync(join(media, "tiny.mp3"));
export const mp4 = readFileSync(join(media, "tiny.mp4"));

export const megabyte = 1024 * 1024;

/** The first bytes of a real image: its type sniffs right, but the file stops early. */
export const truncated = {
  png: png.subarray(0, 40),
  jpg: jpg.subarray(0, jpg.length - 30),
  webp: webp.subarray(0, webp.length - 10),
};

/** Text wearing an image's name. */
export const textAsImage = Buffer.from("hello, I am not a picture\n");

/** A whole PNG (it still ends in IEND) padded past the 30 MB image limit. */
export function oversizePng(bytes = 31 * megabyte): Buffer {
  const end = png.subarray(png.length - 12);
  return Buffer.concat([png.subarray(0, png.length - 12), Buffer.alloc(bytes - png.length), end]);
}

/** 5001 characters: one over every model's prompt limit. */
export const longPrompt = `a fox ${"x".repeat(4995)}`;
