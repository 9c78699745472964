import { createRequire } from "node:module";

/** undici's low-resolution clock: the one its clients run headersTimeout, bodyTimeout and keep-alive on. */
interface UndiciTimers {
  setFastTimeout(callback: () => void, delay: number): { clear(): void };
  /** undici's own test hook: moves the clock forward and processes its timers twice. */
  tick(delay?: number): void;
}

// The same module instance undici's clients use (undici is loaded by Node, not inlined by vitest).
const undiciTimers = createRequire(import.meta.url)("undici/lib/util/timers.js") as UndiciTimers;

/**
 * undici drives every timeout of 1 s or more, and every headers/body timeout, from ONE module-wide
 * ticker made with the global setTimeout the first time it is needed, and only refreshed after
 * that. Made while a test had faked the clock, the ticker belongs to that fake clock: once it is
 * uninstalled it never fires again, and no undici timeout fires for the rest of the worker (test
 * files share one, `isolate: false`). Making the ticker here, on real timers, before any test runs,
 * keeps it real for good.
 */
export function pinUndiciClockToRealTimers(): void {
  undiciTimers.setFastTimeout(() => undefined, 1).clear();
}

/**
 * Moves undici's clock forward by about `milliseconds` (it has a 0.5 s resolution), firing the
 * timeouts now due, such as a hung request's headersTimeout, without waiting for real time.
 */
export function advanceUndiciClock(milliseconds: number): void {
  // tick(delay) moves the clock by delay - 1; the first call also starts timers made since the
  // last tick, so that the second one moves them too.
  undiciTimers.tick(0);
  undiciTimers.tick(milliseconds + 1);
}
