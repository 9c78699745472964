import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import type { AspectRatio } from "../../domain/generation-request.ts";
import { escapeFilterValue, wrapCaption } from "./ffmpeg-filter.ts";

export interface RenderClipOptions {
  ffmpegPath: string;
  outputPath: string;
  caption: string;
  durationSeconds: number;
  aspectRatio?: AspectRatio | undefined;
  /** A local image to zoom into slowly; a colour gradient otherwise. */
  imagePath?: string | undefined;
  withAudio: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const framesPerSecond = 24;

/** Small frames keep rendering well under the simulated delay. */
const frameSizes: Record<AspectRatio, [number, number]> = {
  adaptive: [320, 180],
  "21:9": [420, 180],
  "16:9": [320, 180],
  "4:3": [240, 180],
  "1:1": [240, 240],
  "3:4": [180, 240],
  "9:16": [180, 320],
};

function overlays(caption: string, width: number, height: number): string {
  const fontSize = Math.round(Math.min(width, height) / 12);
  const badge = [
    "drawtext=font=DejaVu Sans:expansion=none:text=SIMULATED",
    `fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=0xdc2626@0.9:boxborderw=5:x=10:y=10`,
  ].join(":");
  const lines = wrapCaption(caption, Math.floor(width / (fontSize * 0.6)), 3);
  if (lines.length === 0) return badge;
  const text = escapeFilterValue(lines.join("\n"));
  const captionFilter = [
    `drawtext=font=DejaVu Sans:expansion=none:text=${text}`,
    `fontsize=${fontSize}:fontcolor=white:line_spacing=3:box=1:boxcolor=black@0.6:boxborderw=6`,
    "x=(w-text_w)/2:y=h-text_h-14",
  ].join(":");
  return `${badge},${captionFilter}`;
}

/** The ffmpeg command line (no shell is involved; only the filtergraph needs escaping). */
export function buildFfmpegArguments(options: RenderClipOptions): string[] {
  const [width, height] = frameSizes[options.aspectRatio ?? "adaptive"];
  const seconds = options.durationSeconds;
  const frames = Math.round(seconds * framesPerSecond);
  const inputs = options.imagePath
    ? ["-i", `file:${options.imagePath}`]
    : [
        "-f",
        "lavfi",
        "-i",
        `gradients=s=${width}x${height}:d=${seconds}:r=${framesPerSecond}:c0=0x1e3a8a:c1=0x7c3aed:c2=0x0f766e:nb_colors=3:speed=0.02`,
      ];
  const background = options.imagePath
    ? `[0:v]scale=${width * 4}:${height * 4}:force_original_aspect_ratio=increase,crop=${width * 4}:${height * 4},setsar=1,zoompan=z=1+0.25*on/${frames}:x=iw/2-iw/zoom/2:y=ih/2-ih/zoom/2:d=${frames}:s=${width}x${height}:fps=${framesPerSecond}`
    : "[0:v]null";
  const video = `${background},${overlays(options.caption, width, height)},format=yuv420p[v]`;
  const audio = options.withAudio
    ? [`-f`, "lavfi", "-i", `sine=frequency=440:sample_rate=44100:duration=${seconds}`]
    : [];
  const audioGraph = options.withAudio ? ";[1:a]volume=0.08[a]" : "";
  return [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...inputs,
    ...audio,
    ...["-filter_complex", `${video}${audioGraph}`, "-map", "[v]"],
    ...(options.withAudio ? ["-map", "[a]", "-c:a", "aac", "-b:a", "48k", "-ac", "1"] : []),
    ...["-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-pix_fmt", "yuv420p"],
    ...["-r", String(framesPerSecond), "-t", String(seconds), "-movflags", "+faststart"],
    ...["-f", "mp4", `file:${options.outputPath}`],
  ];
}

function run(command: string, args: readonly string[], options: RenderClipOptions) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: options.timeoutMs ?? 60_000,
      killSignal: "SIGKILL",
      ...(options.signal ? { signal: options.signal } : {}),
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${signal ?? code}: ${stderr.trim()}`));
    });
  });
}

/** Renders the clip without blocking the event loop; removes any partial output on failure. */
export async function renderClip(options: RenderClipOptions): Promise<void> {
  try {
    await run(options.ffmpegPath, buildFfmpegArguments(options), options);
  } catch (error) {
    await rm(options.outputPath, { force: true });
    throw error;
  }
}

/** The ffmpeg command if it runs, null otherwise (PATH lookup is left to spawn). */
export async function detectFfmpeg(command = "ffmpeg"): Promise<string | null> {
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(command, ["-hide_banner", "-version"], {
        stdio: "ignore",
        timeout: 5_000,
      });
      child.once("error", reject);
      child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(String(code)))));
    });
    return command;
  } catch {
    return null;
  }
}
