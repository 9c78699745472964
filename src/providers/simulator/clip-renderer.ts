import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../logger.ts";
import type { ClipSpecification } from "./clip-specification.ts";
import { renderClip } from "./render-clip.ts";
import { type LocalImage, type LocalPathResolver, localImage } from "./start-image.ts";

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
  specification: ClipSpecification;
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
    // Rendered beside its final name and renamed when whole: a crash never leaves half a clip.
    const partialPath = `${outputPath}.partial`;
    const { specification } = clip;
    let picture: LocalImage | undefined;
    try {
      await mkdir(dataDirectory, { recursive: true });
      picture = await localImage(
        specification.pictureUrl,
        dataDirectory,
        clip.providerJobId,
        options.resolveLocalPath,
      );
      const duration = specification.duration ?? -1;
      await renderClip({
        ffmpegPath,
        outputPath: partialPath,
        caption: specification.caption,
        durationSeconds: duration > 0 ? Math.min(duration, 15) : autoDurationSeconds,
        aspectRatio: specification.aspectRatio,
        imagePath: picture?.path,
        withAudio: specification.withAudio,
        signal: clip.signal,
      });
      await rename(partialPath, outputPath);
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
