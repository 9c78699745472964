import { dirname, join } from "node:path";
import { UserFacingError } from "../errors.ts";
import { detectFfmpeg } from "../providers/simulator/render-clip.ts";

/** The ffmpeg and ffprobe commands the bot runs (no shell; PATH lookup is left to spawn). */
export interface MediaTools {
  ffmpeg: string;
  ffprobe: string;
}

/** What the user reads when a feature needs ffmpeg and the bot has none. */
export const ffmpegMissingReason =
  "this bot has no ffmpeg installed (its operator can add it: see the README)";

/** ffprobe beside the given ffmpeg: `ffmpeg` → `ffprobe`, `/opt/bin/ffmpeg` → `/opt/bin/ffprobe`. */
export function ffprobeBeside(ffmpeg: string): string {
  return ffmpeg.includes("/") ? join(dirname(ffmpeg), "ffprobe") : "ffprobe";
}

/**
 * The tools when both run (the simulator's discovery: `ffmpeg -version`), undefined otherwise.
 * `null` means "never use ffmpeg"; undefined looks for `ffmpeg` on PATH.
 */
export async function findMediaTools(command?: string | null): Promise<MediaTools | undefined> {
  if (command === null) return undefined;
  const ffmpeg = await detectFfmpeg(command ?? "ffmpeg");
  if (!ffmpeg) return undefined;
  const ffprobe = await detectFfmpeg(ffprobeBeside(ffmpeg));
  return ffprobe ? { ffmpeg, ffprobe } : undefined;
}

/** Looks once, on first use, and remembers the answer for the life of the process. */
export function mediaToolsOnce(command?: string | null): () => Promise<MediaTools | undefined> {
  let found: Promise<MediaTools | undefined> | undefined;
  return () => {
    found ??= findMediaTools(command);
    return found;
  };
}

/** What a user is told when a feature needs ffmpeg and the bot has none. */
export function ffmpegMissing(feature: string): UserFacingError {
  return new UserFacingError(
    `${feature} needs ffmpeg on the bot's machine, and this bot has none; ask the bot's operator to install ffmpeg (the Docker image has it). Everything else still works.`,
    { code: "MEDIA_REJECTED" },
  );
}
