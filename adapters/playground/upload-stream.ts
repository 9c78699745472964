import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWholenessScanner, type WholenessScanner } from "../../commands/image-integrity.ts";
import { fileSink } from "../../src/util/file-sink.ts";
import { RequestRefused } from "./http-io.ts";

/** Bytes file-type needs to recognise every accepted type. */
const sniffBytes = 4100;

export interface StreamedUpload {
  path: string;
  sizeBytes: number;
  /** The first bytes, for the type sniff. */
  head: Buffer;
  scanner: WholenessScanner;
}

function tooLarge(limitBytes: number): RequestRefused {
  return new RequestRefused(
    413,
    `The upload is larger than ${limitBytes} bytes (PLAYGROUND_UPLOAD_MAX_BYTES); attach a smaller file.`,
  );
}

function cutOff(): RequestRefused {
  return new RequestRefused(400, "The upload was cut off before its end; attach it again.");
}

/**
 * Streams a request body to a private temporary file, refusing it (and removing the file) as
 * soon as it passes `limitBytes`. Only the first few KB stay in memory.
 */
export async function streamToTemporaryFile(
  request: IncomingMessage,
  limitBytes: number,
  directory = tmpdir(),
): Promise<StreamedUpload> {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  const path = join(directory, `seedance-upload-${randomBytes(9).toString("base64url")}`);
  const scanner = createWholenessScanner();
  const headChunks: Buffer[] = [];
  let headSize = 0;
  const sink = fileSink(path, { flags: "wx", mode: 0o600 });
  const file = sink.stream;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        // Paused, not destroyed: the 413 still reaches the client, then the connection closes.
        request.pause();
        request.removeAllListeners("data");
        file.destroy();
        reject(error);
      };
      request.on("data", (chunk: Buffer) => {
        if (scanner.size + chunk.length > limitBytes) return fail(tooLarge(limitBytes));
        scanner.push(chunk);
        if (headSize < sniffBytes) {
          headChunks.push(chunk.subarray(0, sniffBytes - headSize));
          headSize += Math.min(chunk.length, sniffBytes - headSize);
        }
        if (!file.write(chunk)) {
          request.pause();
          file.once("drain", () => request.resume());
        }
      });
      request.once("end", () => file.end());
      request.once("close", () => {
        if (!request.complete) fail(cutOff());
      });
      file.once("finish", resolve);
      file.once("error", fail);
    });
  } catch (error) {
    file.destroy();
    await sink.closed();
    await removeQuietly(path);
    throw error;
  }
  return { path, sizeBytes: scanner.size, head: Buffer.concat(headChunks), scanner };
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true }).catch(() => undefined);
}
