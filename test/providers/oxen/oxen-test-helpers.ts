import { Writable } from "node:stream";
import { vi } from "vitest";
import { createLogger, type Logger } from "../../../src/logger.ts";
import type {
  ProviderListener,
  ProviderUpdate,
} from "../../../src/providers/generation-provider.ts";

/** Captured at import, before any test fakes timers. */
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;

export interface CapturedLogs {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
  /** Every line as raw JSON text, to assert what never appears. */
  text(): string;
  messages(level?: string): string[];
}

const levelNames: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** A real pino logger (with the production redaction) writing into an array. */
export function captureLogs(level = "trace"): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) {
        if (!line) continue;
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return {
    logger: createLogger(level, destination),
    lines,
    text: () => raw.join("\n"),
    messages: (wanted) =>
      lines
        .filter((line) => !wanted || levelNames[line.level as number] === wanted)
        .map((line) => String(line.msg)),
  };
}

/** Waits for real I/O on the real event loop (fake timers untouched); fails after 30 s. */
export async function until(condition: () => boolean, what = "condition"): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => realSetImmediate(resolve));
  }
}

/** A short real pause, so two writes reach the client as separate chunks. */
export function realPause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, milliseconds));
}

export interface RecordingListener extends ProviderListener {
  updates: ProviderUpdate[];
  connects: number;
  disconnects: string[];
}

export function recordingListener(): RecordingListener {
  const listener: RecordingListener = {
    updates: [],
    connects: 0,
    disconnects: [],
    onUpdate: (update) => listener.updates.push(update),
    onConnected: () => {
      listener.connects++;
    },
    onDisconnected: (reason) => listener.disconnects.push(reason),
  };
  return listener;
}

/** Fakes only timers and the clock: loopback I/O and setImmediate stay real. */
export function useOxenFakeTimers(): void {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
}
