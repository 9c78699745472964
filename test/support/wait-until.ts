/** The real setImmediate, captured before any test fakes timers. */
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;

/**
 * Polls `condition` on the real event loop (safe under fake timers, unlike vi.waitFor) until it
 * holds, for at most `timeoutMs` of real time.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 30_000, message = "condition" }: { timeoutMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let spins = 0;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${message}`);
    spins++;
    await new Promise((resolve) =>
      spins % 50 === 0 ? realSetTimeout(resolve, 5) : realSetImmediate(resolve),
    );
  }
}
