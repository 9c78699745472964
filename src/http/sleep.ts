/** Waits `milliseconds`; an aborted signal ends the wait early (without throwing). */
export type Sleep = (milliseconds: number, signal?: AbortSignal) => Promise<void>;

/** Uses the global setTimeout at call time, so fake timers in tests control it. */
export const sleep: Sleep = (milliseconds, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
