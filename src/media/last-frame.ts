import { rename, rm, stat } from "node:fs/promises";
import type { MediaTools } from "./ffmpeg-availability.ts";
import { quietFfmpeg, runMediaTool } from "./media-process.ts";

/**
 * Writes the video's last frame as a JPEG: seeks to a second before the end (`-sseof`) and keeps
 * overwriting one image (`-update`), so the frame left is the last one decoded. Kept if already made.
 */
export async function extractLastFrame(
  tool: MediaTools,
  videoPath: string,
  outputPath: string,
): Promise<string> {
  const existing = await stat(outputPath).catch(() => undefined);
  if (existing?.isFile() && existing.size > 0) return outputPath;
  const partial = `${outputPath}.part.jpg`;
  try {
    await runMediaTool(tool.ffmpeg, [
      ...quietFfmpeg,
      ...["-sseof", "-1", "-i", `file:${videoPath}`],
      ...["-map", "0:v:0", "-update", "1", "-q:v", "2", "-f", "image2", `file:${partial}`],
    ]);
    await rename(partial, outputPath);
    return outputPath;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
