import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";

export interface UploadFile {
  path: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

export interface UploadBody {
  /** Reads the file afresh on every iteration, so a retried request sends it whole again. */
  body: AsyncIterable<Uint8Array>;
  headers: Record<string, string>;
}

/** Large reads: a video goes out in a few dozen writes, not a few hundred. */
const readSize = 1024 * 1024;

function quoted(value: string): string {
  return value.replace(/["\\\r\n]/g, "_");
}

/**
 * One message with one file as a multipart body (`payload_json`, then `files[0]`), streamed from
 * disk: memory per upload stays at one read, whatever the video's size, and the length is known up
 * front so the request is not chunked.
 */
export function uploadBody(payload: object, file: UploadFile): UploadBody {
  const boundary = `seedance-${randomBytes(12).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n` +
      `Content-Type: application/json\r\n\r\n${JSON.stringify(payload)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="files[0]"; filename="${quoted(file.fileName)}"\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: {
      async *[Symbol.asyncIterator]() {
        yield head;
        yield* createReadStream(file.path, { highWaterMark: readSize });
        yield tail;
      },
    },
    headers: {
      "Content-Type": `multipart/form-data; boundary=${boundary}`,
      "Content-Length": String(head.length + file.sizeBytes + tail.length),
    },
  };
}
