import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";

function split(parts: unknown[]): { err?: Error; message: string } {
  const err = parts.find((part): part is Error => part instanceof Error);
  const message = parts
    .filter((part) => part !== err)
    .map((part) => (typeof part === "string" ? part : JSON.stringify(part)))
    .join(" ");
  return { ...(err ? { err } : {}), message };
}

/**
 * Bolt's and the Web API client's log lines, sent to pino. Their debug output (request bodies
 * and the like) goes to `trace`, so it only appears when asked for explicitly.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (method: "trace" | "info" | "warn" | "error", parts: unknown[]) => {
    const { err, message } = split(parts);
    if (err) logger[method]({ err }, message);
    else logger[method](message);
  };
  return {
    debug: (...parts: unknown[]) => write("trace", parts),
    info: (...parts: unknown[]) => write("info", parts),
    warn: (...parts: unknown[]) => write("warn", parts),
    error: (...parts: unknown[]) => write("error", parts),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
