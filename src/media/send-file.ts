import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";

export interface SendFileOptions {
  path: string;
  contentType: string;
  headers?: Record<string, string>;
}

const rangePattern = /^bytes=(\d*)-(\d*)$/;

/** The one byte range asked for, clamped to the file; null when it cannot be satisfied. */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | null | undefined {
  const match = header ? rangePattern.exec(header.trim()) : null;
  if (!header || !match) return undefined;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return null;
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  return start <= end && start < size ? [start, end] : null;
}

/**
 * Streams a file (GET or HEAD) with a single byte range when asked, which `<video>` elements
 * use to start playing and to seek. Answers 404 when the file is gone.
 */
export async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  options: SendFileOptions,
): Promise<void> {
  const info = await stat(options.path).catch(() => undefined);
  if (!info?.isFile()) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("Not found");
    return;
  }
  const headers = {
    "content-type": options.contentType,
    "accept-ranges": "bytes",
    "x-content-type-options": "nosniff",
    ...options.headers,
  };
  const range = parseRange(request.headers.range, info.size);
  if (range === null) {
    response.writeHead(416, { ...headers, "content-range": `bytes */${info.size}` });
    response.end();
    return;
  }
  const [start, end] = range ?? [0, info.size - 1];
  response.writeHead(range ? 206 : 200, {
    ...headers,
    "content-length": String(Math.max(0, end - start + 1)),
    ...(range ? { "content-range": `bytes ${start}-${end}/${info.size}` } : {}),
  });
  if (request.method === "HEAD" || info.size === 0) {
    response.end();
    return;
  }
  await pipeline(createReadStream(options.path, { start, end }), response).catch(() => {
    // The client went away mid-download; nothing to report.
  });
}
