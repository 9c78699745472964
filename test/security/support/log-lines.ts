import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../../src/logger.ts";

export interface WrittenLogs {
  logger: Logger;
  /** Every line as written, without its newline. */
  lines: string[];
  text(): string;
}

/** The bot's real logger, writing into memory. */
export function writtenLogs(level: string, maxLineBytes?: number): WrittenLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(line);
      done();
    },
  });
  const logger = createLogger(level, destination, maxLineBytes ? { maxLineBytes } : {});
  return { logger, lines, text: () => lines.join("\n") };
}
