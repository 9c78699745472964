export interface AttemptThrottleSettings {
  /** Failed attempts an address may make per window. */
  attempts: number;
  windowMs: number;
  now: () => number;
  /** Addresses remembered at once; the oldest window is forgotten first. */
  maxAddresses?: number;
}

/**
 * Failed secret guesses per address, in fixed windows. A throttled address gets the seconds to
 * wait; a right guess is never counted. Kept per process: a guess at another instance counts there.
 */
export function createAttemptThrottle(settings: AttemptThrottleSettings) {
  const windows = new Map<string, { startedAt: number; failures: number }>();
  const maxAddresses = settings.maxAddresses ?? 10_000;

  function current(address: string) {
    const window = windows.get(address);
    if (window && settings.now() - window.startedAt < settings.windowMs) return window;
    windows.delete(address);
    return undefined;
  }

  return {
    /** Seconds until `address` may try again, or undefined when it may now. */
    retryAfterSeconds(address: string): number | undefined {
      const window = current(address);
      if (!window || window.failures < settings.attempts) return undefined;
      return Math.max(1, Math.ceil((window.startedAt + settings.windowMs - settings.now()) / 1000));
    },
    failed(address: string): void {
      const window = current(address) ?? { startedAt: settings.now(), failures: 0 };
      window.failures += 1;
      windows.delete(address);
      windows.set(address, window);
      for (const oldest of windows.keys()) {
        if (windows.size <= maxAddresses) break;
        windows.delete(oldest);
      }
    },
  };
}
