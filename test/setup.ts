import { afterEach, vi } from "vitest";

process.env.NODE_NO_WARNINGS ??= "1";

// Test files share a worker (isolate: false in vitest.config.ts): a file that faked the clock
// never hands fake timers to the next one.
afterEach(() => {
  vi.useRealTimers();
});
