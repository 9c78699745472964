/** Nearest-rank percentile; values that never arrived count as Infinity. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((first, second) => first - second);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

export function milliseconds(value: number): string {
  if (!Number.isFinite(value)) return "never";
  return value >= 10_000
    ? `${(value / 1000).toFixed(1)} s`
    : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function kibibytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} KiB`;
}

/** `from` → `to` per key, for keys in `from`; keys missing from `to` count as Infinity. */
export function latencies(
  from: ReadonlyMap<string, number>,
  to: ReadonlyMap<string, number>,
): number[] {
  return [...from].map(([key, start]) => {
    const end = to.get(key);
    return end === undefined ? Number.POSITIVE_INFINITY : end - start;
  });
}

export const pause = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Polls `check` every `everyMs` until it is true or `timeoutMs` passes; resolves to whether it held. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await pause(everyMs);
  }
}

export const now = () => performance.timeOrigin + performance.now();

/** To 0.1 ms, for the JSON (Infinity, never reached, becomes null there). */
export const rounded = (value: number) => Math.round(value * 10) / 10;
