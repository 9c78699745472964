import { rename, rm, stat } from "node:fs/promises";
import type { MediaTools } from "./ffmpeg-availability.ts";
import { quietFfmpeg, runMediaTool } from "./media-process.ts";

/** Posters are at most this wide or tall: enough for a card or a gallery tile. */
const posterMaxSide = 1280;

/** `<job>.mp4` → `<job>.jpg`, beside the video. */
export function posterPathFor(videoPath: string): string {
  return `${videoPath.replace(/\.[^./]+$/, "")}.jpg`;
}

/** A file's size when it exists and is not empty. */
export async function nonEmptyFileSize(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() && info.size > 0 ? info.size : undefined;
}

/**
 * Writes a JPEG of the frame at about one second (the first frame of a shorter clip), scaled
 * down to at most 1280 px, through a temporary file renamed into place when whole.
 */
export async function makePoster(
  tools: MediaTools,
  videoPath: string,
  posterPath: string,
  durationSeconds: number | undefined,
): Promise<number> {
  const at = durationSeconds !== undefined && durationSeconds > 1.5 ? 1 : 0;
  const partialPath = `${posterPath}.part`;
  const fit = `scale='min(${posterMaxSide},iw)':'min(${posterMaxSide},ih)':force_original_aspect_ratio=decrease`;
  try {
    await runMediaTool(
      tools.ffmpeg,
      [
        ...quietFfmpeg,
        ...["-ss", String(at), "-i", `file:${videoPath}`, "-frames:v", "1", "-vf", fit],
        ...["-q:v", "4", "-f", "image2", "-c:v", "mjpeg", `file:${partialPath}`],
      ],
      { timeoutMs: 60_000 },
    );
    const size = await nonEmptyFileSize(partialPath);
    if (size === undefined) throw new Error("ffmpeg wrote no poster frame");
    await rename(partialPath, posterPath);
    return size;
  } finally {
    await rm(partialPath, { force: true });
  }
}
