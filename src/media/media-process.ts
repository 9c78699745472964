import { spawn } from "node:child_process";

export interface MediaProcessOptions {
  /** Killed (SIGKILL) after this long; a stuck encode must not hold a delivery for ever. */
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

const defaultTimeoutMs = 10 * 60_000;

/** Runs ffmpeg or ffprobe without a shell and resolves with its standard output. */
export function runMediaTool(
  command: string,
  args: readonly string[],
  options: MediaProcessOptions = {},
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs ?? defaultTimeoutMs,
      killSignal: "SIGKILL",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout = (stdout + chunk).slice(-100_000);
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} exited with ${signal ?? code}: ${stderr.trim()}`));
    });
  });
}

/** The quiet, non-interactive start of every ffmpeg command line. */
export const quietFfmpeg = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y"] as const;
