import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { GenerationRequest } from "../../domain/generation-request.ts";
import type { Logger } from "../../logger.ts";
import { renderClip } from "./render-clip.ts";
import { type LocalImage, type LocalPathResolver, localImage, pictureUrl } from "./start-image.ts";

export interface ClipRendererOptions {
  /** Reads pictures the bot published itself (its media host). */
  resolveLocalPath?: LocalPathResolver | undefined;
  /** The bundled sample, served whenever no clip was rendered. */
  videoPath: string;
  dataDirectory: string;
  logger: Logger;
}

export interface ClipRequest {
  providerJobId: string;
  request: GenerationRequest;
  caption: string;
  signal: AbortSignal;
}

const autoDurationSeconds = 5;

/** Renders one clip at a time with ffmpeg (when it is available), falling back to the sample. */
export function createClipRenderer(options: ClipRendererOptions) {
  const { videoPath, dataDirectory, logger } = options;
  let ffmpegPath: string | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const renderedPath = (providerJobId: string) => join(dataDirectory, `${providerJobId}.mp4`);

  async function render(clip: ClipRequest): Promise<string> {
    if (!ffmpegPath || clip.signal.aborted) return videoPath;
    const outputPath = renderedPath(clip.providerJobId);
    let picture: LocalImage | undefined;
    try {
      await mkdir(dataDirectory, { recursive: true });
      picture = await localImage(
        pictureUrl(clip.request),
        dataDirectory,
        clip.providerJobId,
        options.resolveLocalPath,
      );
      const duration = clip.request.duration ?? -1;
      await renderClip({
        ffmpegPath,
        outputPath,
        caption: clip.caption,
        durationSeconds: duration > 0 ? Math.min(duration, 15) : autoDurationSeconds,
        aspectRatio: clip.request.aspectRatio,
        imagePath: picture?.path,
        withAudio: clip.request.generateAudio !== false,
        signal: clip.signal,
      });
      return outputPath;
    } catch (error) {
      if (!clip.signal.aborted) {
        logger.warn(
          { err: error, providerJobId: clip.providerJobId },
          "simulator could not render a clip; using the bundled sample",
        );
      }
      return videoPath;
    } finally {
      if (picture?.temporary) await rm(picture.path, { force: true });
    }
  }

  return {
    setFfmpegPath(path: string | null): void {
      ffmpegPath = path;
    },
    isRendering(): boolean {
      return ffmpegPath !== null;
    },
    renderedPath,
    /** Queues the clip; the promise never rejects (it falls back to the sample). */
    clipFor(clip: ClipRequest): Promise<string> {
      const result = queue.then(() => render(clip));
      queue = result;
      return result;
    },
    /** Settles once every queued render has finished or been aborted. */
    idle(): Promise<unknown> {
      return queue;
    },
  };
}

export type ClipRenderer = ReturnType<typeof createClipRenderer>;
