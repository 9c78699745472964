import { pino } from "pino";
import { boundedError, boundedValue, shrinkLine, truncate } from "./log-bounds.ts";

export type Logger = pino.Logger;

/** Paths whose values never reach a log line: credentials, and URLs that grant access. */
export const redactedPaths = [
  "apiKey",
  "token",
  "authorization",
  "headers.authorization",
  "*.apiKey",
  "*.token",
  "*.authorization",
  "*.headers.authorization",
  "resultUrl",
  "*.resultUrl",
  "url",
  "*.url",
  "config.*.apiKey",
  "*.*.apiKey",
  "secretAccessKey",
  "*.secretAccessKey",
  "*.*.secretAccessKey",
];

export interface LoggerOptions {
  /** LOG_MAX_LINE_BYTES: no line is longer; fields are cut well before that. Default 16 KiB. */
  maxLineBytes?: number;
}

export const defaultMaxLogLineBytes = 16_384;

/** Writes each line to `inner`, replacing one over the cap by a short line that says so. */
function cappedDestination(inner: pino.DestinationStream, maxLineBytes: number) {
  return {
    write(line: string) {
      const long = line.length > maxLineBytes / 3 && Buffer.byteLength(line) > maxLineBytes;
      inner.write(long ? shrinkLine(line, maxLineBytes) : line);
    },
  };
}

export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: LoggerOptions = {},
): Logger {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLogLineBytes;
  const maxString = Math.max(256, Math.floor(maxLineBytes / 8));
  const loggerOptions: pino.LoggerOptions = {
    level,
    base: { service: "seedance-bot" },
    redact: { paths: redactedPaths, censor: "[redacted]" },
    serializers: {
      err: (value: unknown) => (value instanceof Error ? boundedError(value, maxString) : value),
    },
    formatters: {
      log: (object) => boundedValue(object, maxString) as Record<string, unknown>,
    },
    hooks: {
      logMethod(inputs, method) {
        const cut = inputs.map((input) =>
          typeof input === "string" ? truncate(input, maxString) : input,
        );
        method.apply(this, cut as Parameters<pino.LogFn>);
      },
    },
  };
  return pino(loggerOptions, cappedDestination(destination ?? pino.destination(1), maxLineBytes));
}

export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
