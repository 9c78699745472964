import { createWriteStream, type WriteStream } from "node:fs";

type SinkOptions = Parameters<typeof createWriteStream>[1];

/**
 * A write stream to `path` and `closed()`, which resolves once its file is closed. After a failed
 * body, `pipeline` rejects before the stream has finished opening: a file removed then would be
 * created a moment later and left behind, so remove it only after `closed()`.
 */
export function fileSink(
  path: string,
  options: SinkOptions,
): { stream: WriteStream; closed(): Promise<void> } {
  const stream = createWriteStream(path, options);
  const closing = new Promise<void>((resolve) => stream.once("close", () => resolve()));
  return {
    stream,
    closed: () => (stream.closed ? Promise.resolve() : closing),
  };
}
