import { mkdtemp, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { MediaTools } from "./ffmpeg-availability.ts";
import { quietFfmpeg, runMediaTool } from "./media-process.ts";
import type { VideoFacts } from "./video-probe.ts";

/** Below this video bitrate a clip is too blurry to watch: it is linked instead of squeezed. */
export const minimumVideoKilobitsPerSecond = 300;
/** Room kept for the MP4 container and the encoder missing its target a little. */
const sizeMargin = 0.95;
const containerBytes = 32 * 1024;
const encoderPreset = "veryfast";

export interface FitPlan {
  videoKilobitsPerSecond: number;
  audioKilobitsPerSecond: number;
  /** Frame height to scale down to, when the bitrate is too low for the source's. */
  height: number | undefined;
}

/** A smaller frame looks better than a starved large one; the source is never scaled up. */
function heightFor(
  videoKilobitsPerSecond: number,
  sourceHeight: number | undefined,
): number | undefined {
  const wanted =
    videoKilobitsPerSecond >= 2500
      ? 1080
      : videoKilobitsPerSecond >= 1200
        ? 720
        : videoKilobitsPerSecond >= 600
          ? 480
          : 360;
  return sourceHeight !== undefined && sourceHeight > wanted ? wanted : undefined;
}

/** The bitrates that fill `limitBytes` over the clip's duration, or undefined below the floor. */
export function planFit(facts: VideoFacts, limitBytes: number): FitPlan | undefined {
  const usableBits = (limitBytes * sizeMargin - containerBytes) * 8;
  const totalKilobitsPerSecond = usableBits / facts.durationSeconds / 1000;
  const audioKilobitsPerSecond = !facts.hasAudio
    ? 0
    : totalKilobitsPerSecond >= 1000
      ? 96
      : totalKilobitsPerSecond >= 500
        ? 64
        : 48;
  const videoKilobitsPerSecond = Math.floor(totalKilobitsPerSecond - audioKilobitsPerSecond);
  if (videoKilobitsPerSecond < minimumVideoKilobitsPerSecond) return undefined;
  return {
    videoKilobitsPerSecond,
    audioKilobitsPerSecond,
    height: heightFor(videoKilobitsPerSecond, facts.height),
  };
}

/** The video bitrate a clip of this length would get under the limit (for the user's message). */
export function availableVideoKilobitsPerSecond(
  durationSeconds: number,
  limitBytes: number,
): number {
  return Math.max(
    0,
    Math.floor(((limitBytes * sizeMargin - containerBytes) * 8) / durationSeconds / 1000),
  );
}

function videoArguments(plan: FitPlan, passLog: string, pass: 1 | 2): string[] {
  const rate = plan.videoKilobitsPerSecond;
  return [
    ...["-c:v", "libx264", "-preset", encoderPreset, "-b:v", `${rate}k`],
    ...["-maxrate", `${Math.round(rate * 1.5)}k`, "-bufsize", `${rate * 2}k`],
    ...["-pass", String(pass), "-passlogfile", passLog, "-pix_fmt", "yuv420p"],
    ...(plan.height ? ["-vf", `scale=-2:${plan.height}`] : []),
  ];
}

/** Two-pass H.264 (and AAC) at the plan's bitrates, `+faststart` so it plays while loading. */
async function encode(
  tools: MediaTools,
  input: string,
  output: string,
  plan: FitPlan,
): Promise<number> {
  const passDirectory = await mkdtemp(join(dirname(output), ".fit-"));
  const passLog = join(passDirectory, "pass");
  const source = ["-i", `file:${input}`, "-map", "0:v:0"];
  try {
    await runMediaTool(tools.ffmpeg, [
      ...quietFfmpeg,
      ...source,
      ...videoArguments(plan, passLog, 1),
      ...["-an", "-f", "null", "-"],
    ]);
    await runMediaTool(tools.ffmpeg, [
      ...quietFfmpeg,
      ...source,
      ...(plan.audioKilobitsPerSecond > 0 ? ["-map", "0:a:0?"] : []),
      ...videoArguments(plan, passLog, 2),
      ...(plan.audioKilobitsPerSecond > 0
        ? ["-c:a", "aac", "-b:a", `${plan.audioKilobitsPerSecond}k`]
        : ["-an"]),
      ...["-movflags", "+faststart", "-f", "mp4", `file:${output}`],
    ]);
    return (await stat(output)).size;
  } finally {
    await rm(passDirectory, { recursive: true, force: true });
  }
}

export type FitOutcome =
  | { fitted: true; path: string; sizeBytes: number; videoKilobitsPerSecond: number }
  | { fitted: false; videoKilobitsPerSecond: number };

/**
 * Re-encodes `input` to `output` so that it is at most `limitBytes`: the bitrate follows from
 * the duration and the limit; an encode that still overshoots is made once more, lower by the
 * overshoot. Gives up (`fitted: false`) when that would go below the watchable floor.
 */
export async function fitVideo(
  tools: MediaTools,
  options: { input: string; output: string; facts: VideoFacts; limitBytes: number },
): Promise<FitOutcome> {
  const { input, output, facts, limitBytes } = options;
  let plan = planFit(facts, limitBytes);
  const partialPath = `${output}.part`;
  try {
    for (let attempt = 0; plan && attempt < 2; attempt++) {
      const sizeBytes = await encode(tools, input, partialPath, plan);
      if (sizeBytes <= limitBytes) {
        await rename(partialPath, output);
        return {
          fitted: true,
          path: output,
          sizeBytes,
          videoKilobitsPerSecond: plan.videoKilobitsPerSecond,
        };
      }
      const lower = Math.floor(plan.videoKilobitsPerSecond * (limitBytes / sizeBytes) * sizeMargin);
      plan =
        lower >= minimumVideoKilobitsPerSecond
          ? { ...plan, videoKilobitsPerSecond: lower, height: heightFor(lower, facts.height) }
          : undefined;
    }
  } finally {
    await rm(partialPath, { force: true });
  }
  return {
    fitted: false,
    videoKilobitsPerSecond: availableVideoKilobitsPerSecond(facts.durationSeconds, limitBytes),
  };
}
