import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/logger.ts";

/** A real pino logger (with the production redaction) whose lines are kept for assertions. */
export function capturedLogger(): { logger: Logger; text: () => string; lines: () => string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return {
    logger: createLogger("debug", destination),
    text: () => lines.join("\n"),
    lines: () => lines,
  };
}
