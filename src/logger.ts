import { pino } from "pino";

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
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: "seedance-bot" },
    redact: { paths: redactedPaths, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

export function createSilentLogger(): Logger {
  return pino({ level: "silent" });
}
