import { performance } from "node:perf_hooks";
import type { Logger } from "../logger.ts";

const mebibyte = 1024 * 1024;

export interface HeapTrimOptions {
  logger: Logger;
  /** How often the process is looked at. */
  intervalMs?: number;
  /** When to collect; defaults: busy at 5 % event-loop utilisation, 5 quiet intervals, 32 MiB. */
  schedule?: Partial<TrimScheduleSettings>;
  /** `global.gc`, present when Node runs with `--expose-gc` (as `npm start` and the image do). */
  collect?: ((options: object) => void) | undefined;
  /** Event-loop utilisation since the previous call; defaults to Node's own measure. */
  utilization?: () => number;
  /** Resident memory in bytes; defaults to `process.memoryUsage.rss()`. */
  residentBytes?: () => number;
  /** A clock in milliseconds for the log's duration; defaults to `performance.now()`. */
  now?: () => number;
}

/** Event-loop utilisation since the previous call. */
function utilizationMeter(): () => number {
  let previous = performance.eventLoopUtilization();
  return () => {
    const current = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(current, previous);
    previous = current;
    return utilization;
  };
}

export interface TrimScheduleSettings {
  /** Event-loop utilisation (0–1) over an interval at or above which the process counts as busy. */
  busyUtilization: number;
  /** Quiet intervals in a row before a collection may run: it must not land as a burst begins. */
  quietIntervals: number;
  /** Growth of resident memory since the last collection (or start-up) that calls for one. */
  growthBytes: number;
}

/**
 * Decides, interval by interval, when to give memory back: once the process has been quiet for a
 * few intervals in a row, after busy ones, or after short spikes (a recovery or a sweep over
 * thousands of jobs) that left resident memory grown since the last collection or start-up.
 */
export class TrimSchedule {
  readonly #settings: TrimScheduleSettings;
  #busySinceTrim = false;
  #quiet = 0;
  #rssAfterTrim: number;

  constructor(settings: TrimScheduleSettings, rssAtStart: number) {
    this.#settings = settings;
    this.#rssAfterTrim = rssAtStart;
  }

  /** True when a collection should run now. */
  next(utilization: number, rssBytes: number): boolean {
    if (utilization >= this.#settings.busyUtilization) {
      this.#busySinceTrim = true;
      this.#quiet = 0;
      return false;
    }
    this.#quiet++;
    if (this.#quiet < this.#settings.quietIntervals) return false;
    return this.#busySinceTrim || rssBytes - this.#rssAfterTrim >= this.#settings.growthBytes;
  }

  trimmed(rssBytes: number): void {
    this.#busySinceTrim = false;
    this.#rssAfterTrim = rssBytes;
  }
}

/**
 * Gives memory back after a burst. A burst grows V8's heap several times over what stays live;
 * afterwards V8 keeps that heap, or the freed pages in its page pool (not counted in `heapTotal`),
 * and returns them only on a memory-reducing collection, which a server that was busy and is now
 * quiet does not get: resident memory would stay at the burst's peak for good, whatever is
 * pending. So once quiet again for a few seconds, one such collection returns it (tens of
 * milliseconds, at most once per burst, never while busy). Started before recovery, so memory a
 * recovery took counts as growth.
 */
export function startHeapTrim(options: HeapTrimOptions): { stop(): void } {
  const collect = options.collect ?? (globalThis as { gc?: (options: object) => void }).gc;
  if (typeof collect !== "function") {
    options.logger.debug("no heap trimming: node was started without --expose-gc");
    return { stop() {} };
  }
  const utilization = options.utilization ?? utilizationMeter();
  const residentBytes = options.residentBytes ?? (() => process.memoryUsage.rss());
  const now = options.now ?? (() => performance.now());
  const schedule = new TrimSchedule(
    { busyUtilization: 0.05, quietIntervals: 5, growthBytes: 32 * mebibyte, ...options.schedule },
    residentBytes(),
  );
  const timer = setInterval(() => {
    const before = residentBytes();
    if (!schedule.next(utilization(), before)) return;
    const started = now();
    collect({ type: "major", execution: "sync", flavor: "last-resort" });
    const milliseconds = Math.round(now() - started);
    const after = residentBytes();
    schedule.trimmed(after);
    options.logger.info(
      {
        milliseconds,
        rssBeforeMiB: Math.round(before / mebibyte),
        rssAfterMiB: Math.round(after / mebibyte),
      },
      "gave memory back to the system after a burst",
    );
    // The collection was busy time of its own making: it must not count as the next burst.
    utilization();
  }, options.intervalMs ?? 1_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
