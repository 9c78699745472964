import { rename, rm, writeFile } from "node:fs/promises";
import type { MediaTools } from "./ffmpeg-availability.ts";
import { quietFfmpeg, runMediaTool } from "./media-process.ts";

interface ClipFormat {
  video: string;
  audio: string | undefined;
  width: number;
  height: number;
}

async function probe(tool: MediaTools, path: string): Promise<ClipFormat> {
  const output = await runMediaTool(tool.ffprobe, [
    ...["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height"],
    ...["-of", "json", `file:${path}`],
  ]);
  const streams = (
    JSON.parse(output) as {
      streams?: Array<{
        codec_type?: string;
        codec_name?: string;
        width?: number;
        height?: number;
      }>;
    }
  ).streams;
  const video = streams?.find((stream) => stream.codec_type === "video");
  const audio = streams?.find((stream) => stream.codec_type === "audio");
  return {
    video: video?.codec_name ?? "none",
    audio: audio?.codec_name,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
  };
}

function sameFormat(formats: readonly ClipFormat[]): boolean {
  const [first] = formats;
  return formats.every((format) => JSON.stringify(format) === JSON.stringify(first));
}

/** The concat demuxer's list: one `file` line per clip, quoted the way it reads them. */
function concatList(paths: readonly string[]): string {
  return paths.map((path) => `file '${path.replaceAll("'", "'\\''")}'\n`).join("");
}

function reencodeArguments(paths: readonly string[], formats: readonly ClipFormat[]): string[] {
  const { width, height } = formats[0] ?? { width: 0, height: 0 };
  const withAudio = formats.every((format) => format.audio !== undefined);
  const scaled = paths.map(
    (_, index) =>
      `[${index}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=24,format=yuv420p[v${index}]` +
      (withAudio ? `;[${index}:a]aresample=44100[a${index}]` : ""),
  );
  const joined = paths.map((_, index) => `[v${index}]${withAudio ? `[a${index}]` : ""}`).join("");
  const graph = `${scaled.join(";")};${joined}concat=n=${paths.length}:v=1:a=${withAudio ? 1 : 0}[v]${withAudio ? "[a]" : ""}`;
  return [
    ...paths.flatMap((path) => ["-i", `file:${path}`]),
    ...["-filter_complex", graph, "-map", "[v]"],
    ...(withAudio ? ["-map", "[a]", "-c:a", "aac", "-b:a", "128k"] : []),
    ...["-c:v", "libx264", "-preset", "veryfast", "-crf", "20"],
  ];
}

/**
 * Joins clips into one MP4: stream copy through the concat demuxer when codecs and sizes match,
 * re-encoded (scaled to the first clip's size) when they do not. Written beside `outputPath` first.
 */
export async function stitchClips(
  tool: MediaTools,
  paths: readonly string[],
  outputPath: string,
): Promise<{ copied: boolean }> {
  const formats = await Promise.all(paths.map((path) => probe(tool, path)));
  const copied = sameFormat(formats);
  const partial = `${outputPath}.part.mp4`;
  const list = `${outputPath}.list.txt`;
  try {
    if (copied) await writeFile(list, concatList(paths));
    const inputs = copied
      ? ["-f", "concat", "-safe", "0", "-i", `file:${list}`, "-c", "copy"]
      : reencodeArguments(paths, formats);
    await runMediaTool(tool.ffmpeg, [
      ...quietFfmpeg,
      ...inputs,
      ...["-movflags", "+faststart", "-f", "mp4", `file:${partial}`],
    ]);
    await rename(partial, outputPath);
    return { copied };
  } finally {
    await rm(partial, { force: true });
    await rm(list, { force: true });
  }
}
