import { vi } from "vitest";
import { waitUntil } from "../../support/wait-until.ts";

/** Timers and Date are fake; real I/O (HTTP, SQLite, setImmediate) keeps running. */
export function useFakeClock(): void {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
}

/**
 * Moves the fake clock forward `stepMs` at a time, letting real HTTP finish between steps, until
 * `condition` holds. Returns how much fake time passed.
 */
export async function advanceUntil(
  condition: () => boolean | Promise<boolean>,
  { stepMs = 1_000, message = "condition", timeoutMs = 30_000 } = {},
): Promise<number> {
  let advanced = 0;
  await waitUntil(
    async () => {
      if (await condition()) return true;
      await vi.advanceTimersByTimeAsync(stepMs);
      advanced += stepMs;
      return false;
    },
    { message, timeoutMs },
  );
  return advanced;
}
