import { z } from "zod";
import type { MediaTools } from "./ffmpeg-availability.ts";
import { runMediaTool } from "./media-process.ts";

export interface VideoFacts {
  durationSeconds: number;
  hasAudio: boolean;
  width: number | undefined;
  height: number | undefined;
}

const probeSchema = z.object({
  format: z.object({ duration: z.coerce.number().positive() }),
  streams: z
    .array(
      z.object({
        codec_type: z.string(),
        width: z.number().int().positive().optional(),
        height: z.number().int().positive().optional(),
      }),
    )
    .default([]),
});

/** Duration, audio and frame size of a local video, read by ffprobe. */
export async function probeVideo(tools: MediaTools, path: string): Promise<VideoFacts> {
  const output = await runMediaTool(
    tools.ffprobe,
    [
      ...["-v", "error", "-show_entries", "format=duration:stream=codec_type,width,height"],
      ...["-of", "json", `file:${path}`],
    ],
    { timeoutMs: 30_000 },
  );
  const facts = probeSchema.parse(JSON.parse(output));
  const video = facts.streams.find((stream) => stream.codec_type === "video");
  return {
    durationSeconds: facts.format.duration,
    hasAudio: facts.streams.some((stream) => stream.codec_type === "audio"),
    width: video?.width,
    height: video?.height,
  };
}
