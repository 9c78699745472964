import { afterEach, vi } from "vitest";
import { pinUndiciClockToRealTimers } from "./support/undici-clock.ts";

process.env.NODE_NO_WARNINGS ??= "1";

// Before any test fakes the clock: undici's timeouts keep running on real timers afterwards.
pinUndiciClockToRealTimers();

// Test files share a worker (isolate: false in vitest.config.ts): a file that faked the clock
// never hands fake timers to the next one.
afterEach(() => {
  vi.useRealTimers();
});
