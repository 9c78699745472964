import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { z } from "zod";
import { spawnProcess } from "./spawned-process.ts";

async function run(command: string, parameters: string[]): Promise<string> {
  const child = spawnProcess(command, parameters);
  const code = await child.exited();
  if (code !== 0) throw new Error(`${command} failed (${code}): ${child.stderr()}`);
  return child.stdout();
}

/**
 * A real MP4 made by ffmpeg from `testsrc` (and a sine tone): with `noise`, every frame is
 * different grain, so even a short clip is megabytes, like a high-bitrate provider result.
 */
export async function makeTestVideo(
  path: string,
  options: { seconds: number; width?: number; height?: number; noise?: boolean },
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const size = `${options.width ?? 320}x${options.height ?? 240}`;
  await run("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", `testsrc=size=${size}:rate=24:duration=${options.seconds}`],
    ...["-f", "lavfi", "-i", `sine=frequency=440:duration=${options.seconds}`],
    ...(options.noise ? ["-vf", "noise=alls=20:allf=t"] : []),
    ...["-c:v", "libx264", "-preset", "ultrafast", "-crf", options.noise ? "18" : "28"],
    ...["-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path],
  ]);
}

const probeSchema = z.object({
  format: z.object({ duration: z.coerce.number(), format_name: z.string() }),
  streams: z.array(z.object({ codec_type: z.string(), codec_name: z.string() })),
});

/** What ffprobe reads from a file: proof that it is a video that plays, and what is in it. */
export async function probeFile(path: string): Promise<z.infer<typeof probeSchema>> {
  const output = await run("ffprobe", [
    ...["-v", "error", "-show_entries", "format=duration,format_name:stream=codec_type,codec_name"],
    ...["-of", "json", path],
  ]);
  return probeSchema.parse(JSON.parse(output));
}

/** Decodes every frame (`-f null`): throws when the file does not play to its end. */
export async function decodeWhole(path: string): Promise<void> {
  await run("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    "-i",
    path,
    "-f",
    "null",
    "-",
  ]);
}

/**
 * For a test file: a temporary folder holding a noisy 4 s MP4 of several megabytes, made once
 * before the file's tests and removed after them. Read `directory` and `video` inside tests.
 */
export function oversizeVideoFixture(prefix: string): { directory: string; video: string } {
  const fixture = { directory: "", video: "" };
  beforeAll(async () => {
    fixture.directory = await mkdtemp(join(tmpdir(), prefix));
    fixture.video = join(fixture.directory, "oversize.mp4");
    await makeTestVideo(fixture.video, { seconds: 4, noise: true });
  });
  afterAll(async () => {
    await rm(fixture.directory, { recursive: true, force: true });
  });
  return fixture;
}
