import { spawn } from "node:child_process";
import { basename, dirname, join } from "node:path";
import { UserFacingError } from "../errors.ts";
import { detectFfmpeg } from "../providers/simulator/render-clip.ts";

/** ffmpeg and ffprobe as this bot finds them: the system's, or none (features that need them say so). */
export interface FfmpegTool {
  ffmpeg: string;
  ffprobe: string;
}

/** ffprobe beside the given ffmpeg (same folder, same naming), or from PATH. */
export function ffprobeBeside(ffmpegPath: string): string {
  const name = basename(ffmpegPath).replace(/ffmpeg/i, "ffprobe");
  return ffmpegPath.includes("/") ? join(dirname(ffmpegPath), name) : name;
}

/**
 * Finds ffmpeg once, on first need: `undefined` looks in PATH (as the simulator does), `null`
 * means none. The answer is kept, so a missing ffmpeg costs one lookup.
 */
export function lazyFfmpeg(configured?: string | null): () => Promise<FfmpegTool | undefined> {
  let found: Promise<FfmpegTool | undefined> | undefined;
  return () => {
    found ??= (async () => {
      const path = configured === undefined ? await detectFfmpeg() : configured;
      return path ? { ffmpeg: path, ffprobe: ffprobeBeside(path) } : undefined;
    })();
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

/** Runs a media tool without a shell; resolves with its standard output, rejects with its last error lines. */
export function runMediaTool(
  command: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else
        reject(new Error(`${basename(command)} exited with ${signal ?? code}: ${stderr.trim()}`));
    });
  });
}
