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

/** Keeps a Slack API path (`/api/chat.postMessage`); any other URL is cut to its origin. */
function withoutSecrets(url: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return "[a URL]";
  const method = /^\/api\/[A-Za-z.]+$/.test(parsed.pathname) ? parsed.pathname : "/…";
  return `${parsed.origin}${method}`;
}

/**
 * What a debug line of Bolt or the Web API client may say: its words up to what it quotes
 * (after a colon: request bodies, results, headers, payloads, with prompts, user ids and upload
 * URLs in them), and no URL's path or query beyond an API method. `trace` thus redacts like
 * every other level.
 */
export function debugSummary(parts: unknown[]): string {
  return parts
    .filter((part): part is string => typeof part === "string")
    .map((part) =>
      part
        .replace(/(:\s|\(body:|[[{]).*$/s, "$1[…]")
        .replace(/https?:\/\/[^\s'"]+/g, withoutSecrets)
        .slice(0, 200),
    )
    .join(" ");
}

/**
 * Bolt's and the Web API client's log lines, sent to pino. Their debug output goes to `trace`,
 * so it only appears when asked for explicitly, and only as a summary (`debugSummary`).
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write = (method: "trace" | "info" | "warn" | "error", parts: unknown[]) => {
    const { err, message } = split(parts);
    if (err) logger[method]({ err }, message);
    else logger[method](message);
  };
  return {
    debug: (...parts: unknown[]) => {
      if (logger.isLevelEnabled("trace")) logger.trace(debugSummary(parts));
    },
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
