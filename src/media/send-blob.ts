import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { BlobStore } from "../blobs/blob-store.ts";
import { parseRange } from "./send-file.ts";

export interface SendBlobOptions {
  store: BlobStore;
  key: string;
  contentType: string;
  headers?: Record<string, string>;
}

/**
 * Streams a blob (GET or HEAD) from whichever store holds it, with a single byte range when asked,
 * as `sendFile` does for a file. Answers 404 when the blob is gone.
 */
export async function sendBlob(
  request: IncomingMessage,
  response: ServerResponse,
  options: SendBlobOptions,
): Promise<void> {
  const info = await options.store.stat(options.key);
  const notFound = () => {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not found");
  };
  if (!info) return notFound();
  const size = info.sizeBytes;
  const headers = {
    "content-type": options.contentType,
    "accept-ranges": "bytes",
    "x-content-type-options": "nosniff",
    ...options.headers,
  };
  const range = parseRange(request.headers.range, size);
  if (range === null) {
    response.writeHead(416, { ...headers, "content-range": `bytes */${size}` });
    response.end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  const body =
    request.method === "HEAD" || size === 0
      ? undefined
      : await options.store.open(options.key, { start, end });
  if (!body && request.method !== "HEAD" && size > 0) return notFound();
  response.writeHead(range ? 206 : 200, {
    ...headers,
    "content-length": String(Math.max(0, end - start + 1)),
    ...(range ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
  });
  if (!body) {
    response.end();
    return;
  }
  await pipeline(body, response).catch(() => {
    // The client went away mid-download, or the blob went away under it; nothing to report.
  });
}
