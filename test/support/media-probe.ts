import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A video's duration in seconds, as ffprobe reads it. */
export function probeDuration(path: string): number {
  const output = execFileSync("ffprobe", [
    ...["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
  ]);
  return Number(output.toString().trim());
}

/** The last frame of a video as JPEG bytes, taken the way Extend takes it. */
export function lastFrameBytes(videoPath: string): Buffer {
  const directory = mkdtempSync(join(tmpdir(), "last-frame-"));
  try {
    const output = join(directory, "last.jpg");
    execFileSync("ffmpeg", [
      ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-sseof", "-1"],
      ...["-i", videoPath, "-map", "0:v:0", "-update", "1", "-q:v", "2", "-f", "image2", output],
    ]);
    return readFileSync(output);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The bytes of a `data:` URI. */
export function dataUriBytes(url: string): Buffer {
  return Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
}
