import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileTypeFromFile } from "file-type";
import type { DeliverableVideo } from "../chat/chat-adapter.ts";
import { BotError } from "../errors.ts";
import type { ResultDownload } from "../providers/generation-provider.ts";
import { privateFileMode, privateFolderMode } from "../util/data-permissions.ts";
import { fileSink } from "../util/file-sink.ts";

const videoTypes = new Set(["video/mp4", "video/quicktime", "video/webm"]);

function size(bytes: number): string {
  return bytes >= 1024 ** 2
    ? `${Math.round(bytes / 1024 ** 2)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function tooLarge(limit: number): BotError {
  return new BotError({
    code: "MEDIA_REJECTED",
    message: `The finished video is larger than the ${size(limit)} this bot accepts (MAX_VIDEO_BYTES).`,
  });
}

/** Drops a response body we will not read; the abort it causes is expected, not a crash. */
function discard(body: ResultDownload["body"]): void {
  body.on("error", () => {});
  body.destroy();
}

/** A failure of our own disk, worded for the user and retryable (space may come back). */
function storageFailure(error: unknown): BotError {
  const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
  return new BotError({
    code: "STORAGE_FAILED",
    message: `The bot could not save the video on its disk (${code}); tell the bot's operator.`,
    retryable: true,
    cause: error,
  });
}

/** Counts bytes as they pass and fails the stream as soon as the limit is crossed. */
function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) callback(tooLarge(limit));
      else callback(null, chunk);
    },
  });
}

export function videoPathFor(directory: string, jobId: string): string {
  return join(directory, `${jobId}.mp4`);
}

/** An already-downloaded video, if the file is still there and whole. */
export async function existingVideo(
  path: string | undefined,
  expectedBytes: number | undefined,
): Promise<DeliverableVideo | undefined> {
  if (!path) return undefined;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || (expectedBytes !== undefined && info.size !== expectedBytes))
    return undefined;
  return { path, sizeBytes: info.size, contentType: "video/mp4", fileName: "seedance.mp4" };
}

/**
 * Streams a download to `<directory>/<jobId>.mp4` through a temporary file: bounded in size, never
 * held in memory, sniffed from its bytes, and renamed into place only when complete.
 */
export async function saveVideo(
  download: ResultDownload,
  directory: string,
  jobId: string,
  maxBytes: number,
): Promise<DeliverableVideo> {
  if (download.contentLength !== undefined && download.contentLength > maxBytes) {
    discard(download.body);
    throw tooLarge(maxBytes);
  }
  try {
    await mkdir(directory, { recursive: true, mode: privateFolderMode });
  } catch (error) {
    discard(download.body);
    throw storageFailure(error);
  }
  const finalPath = videoPathFor(directory, jobId);
  const partialPath = `${finalPath}.part`;
  const sink = fileSink(partialPath, { mode: privateFileMode });
  try {
    await pipeline(download.body, limitBytes(maxBytes), sink.stream);
    const detected = await fileTypeFromFile(partialPath);
    if (!detected || !videoTypes.has(detected.mime)) {
      throw new BotError({
        code: "MEDIA_REJECTED",
        message: `The provider returned ${detected?.mime ?? "an unknown file type"} instead of a video.`,
      });
    }
    await rename(partialPath, finalPath);
    const info = await stat(finalPath);
    return {
      path: finalPath,
      sizeBytes: info.size,
      contentType: detected.mime,
      fileName: `seedance-${jobId}.${detected.ext}`,
    };
  } catch (error) {
    discard(download.body);
    await sink.closed();
    await rm(partialPath, { force: true }).catch(() => undefined);
    throw error instanceof BotError ? error : storageFailure(error);
  }
}
