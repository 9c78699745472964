import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findMediaTools, type MediaTools } from "../../src/media/ffmpeg-availability.ts";
import { extractLastFrame } from "../../src/media/last-frame.ts";
import { quietFfmpeg, runMediaTool } from "../../src/media/media-process.ts";
import { makePoster } from "../../src/media/poster-frame.ts";
import { stitchClips } from "../../src/media/stitch-clips.ts";
import { fitVideo } from "../../src/media/video-fitter.ts";
import { probeVideo } from "../../src/media/video-probe.ts";
import { type Row, row } from "./report.ts";

const name = "9. Media";
const mebibyte = 1024 ** 2;

/** A provider-like result: 1080p at 24 fps with light moving grain, tens of megabytes like a real one. */
async function makeClip(tools: MediaTools, path: string, seconds: number, size: string) {
  await runMediaTool(tools.ffmpeg, [
    ...quietFfmpeg,
    ...["-f", "lavfi", "-i", `testsrc2=size=${size}:rate=24:duration=${seconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:duration=${seconds}`],
    ...["-vf", "noise=alls=6:allf=t", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "24"],
    ...["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", `file:${path}`],
  ]);
  return (await stat(path)).size;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - started) / 1000 };
}

const mib = (bytes: number) => `${(bytes / mebibyte).toFixed(1)} MiB`;
const inSeconds = (value: number) => `${value.toFixed(1)} s`;

/**
 * What the media features cost on this machine, with the bot's own code (src/media): fitting a
 * 15 s 1080p clip into Discord's 10 MiB, extracting its last frame (Extend), stitching four
 * clips (Stitch) and making a poster, each with the output's size against its limit.
 */
export async function runMedia(
  options: { fitSeconds?: number; limitBytes?: number } = {},
): Promise<{ rows: Row[]; data: unknown }> {
  const tools = await findMediaTools();
  if (!tools) return { rows: [row(name, "ffmpeg", "not installed", "", false)], data: {} };
  const seconds = options.fitSeconds ?? 15;
  const limitBytes = options.limitBytes ?? 10 * mebibyte;
  const directory = await mkdtemp(join(tmpdir(), "seedance-bench-media-"));
  try {
    const source = join(directory, "source.mp4");
    const sourceBytes = await makeClip(tools, source, seconds, "1920x1080");
    const facts = await probeVideo(tools, source);
    const fit = await timed(() =>
      fitVideo(tools, { input: source, output: join(directory, "fit.mp4"), facts, limitBytes }),
    );
    const fittedBytes = fit.result.fitted ? fit.result.sizeBytes : Number.NaN;
    const frame = await timed(() =>
      extractLastFrame(tools, source, join(directory, "last-frame.jpg")),
    );
    const frameBytes = (await stat(frame.result)).size;
    const poster = await timed(() =>
      makePoster(tools, source, join(directory, "poster.jpg"), facts.durationSeconds),
    );
    const clips = await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        const path = join(directory, `clip-${index}.mp4`);
        await makeClip(tools, path, 5, "1280x720");
        return path;
      }),
    );
    const stitched = join(directory, "stitched.mp4");
    const stitch = await timed(() => stitchClips(tools, clips, stitched));
    const stitchedFacts = await probeVideo(tools, stitched);
    return {
      rows: [
        row(
          name,
          `fit a ${seconds} s 1080p clip (${mib(sourceBytes)}) into ${mib(limitBytes)}`,
          inSeconds(fit.seconds),
          `output ${mib(fittedBytes)} ≤ ${mib(limitBytes)}`,
          fit.result.fitted && fittedBytes <= limitBytes,
        ),
        row(
          name,
          "last frame of the 1080p clip (Extend)",
          inSeconds(frame.seconds),
          `${Math.round(frameBytes / 1024)} KiB JPEG`,
        ),
        row(
          name,
          "poster frame",
          inSeconds(poster.seconds),
          `${Math.round(poster.result / 1024)} KiB JPEG`,
        ),
        row(
          name,
          `stitch four 5 s 720p clips (${stitch.result.copied ? "stream copy" : "re-encoded"})`,
          inSeconds(stitch.seconds),
          `${stitchedFacts.durationSeconds.toFixed(1)} s long (20 s expected)`,
          Math.abs(stitchedFacts.durationSeconds - 20) < 0.5,
        ),
      ],
      data: {
        sourceBytes,
        limitBytes,
        fitSeconds: fit.seconds,
        fittedBytes,
        lastFrameSeconds: frame.seconds,
        posterSeconds: poster.seconds,
        stitchSeconds: stitch.seconds,
        stitchedDurationSeconds: stitchedFacts.durationSeconds,
      },
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
