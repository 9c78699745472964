import type { HeapSample, ProcessSample } from "./bot-process.ts";
import { type Row, row } from "./report.ts";
import { kibibytes, mebibytes, pause } from "./statistics.ts";

export interface MemorySnapshot {
  /** V8 heap in use after two full collections, and what V8 has reserved for it. */
  heap: number;
  heapTotal: number;
  external: number;
  /** Resident set size, from /proc. */
  rss: number;
  /** The bot's own `seedance_nodejs_heap_size_used_bytes` on /metrics, read right after (no forced GC). */
  metricsHeap: number | undefined;
}

const name = "3. Idle cost";
const limit = 2048;

/**
 * How long a process is left quiet before its memory counts as settled: long enough for the bot's
 * heap trim (src/util/heap-trim.ts: acts after five quiet seconds in a row) to run.
 */
export const settleMs = 12_000;

/** Lets the bot settle, collects its garbage, then reads its memory. */
export async function snapshot(
  bot: {
    heap(): Promise<HeapSample>;
    sample(): ProcessSample;
    metric(name: string): Promise<number | undefined>;
  },
  waitMs = 3_000,
): Promise<MemorySnapshot> {
  await pause(waitMs);
  const heap = await bot.heap();
  return {
    heap: heap.heapUsedBytes,
    heapTotal: heap.heapTotalBytes,
    external: heap.externalBytes,
    rss: bot.sample().rssBytes,
    metricsHeap: await bot.metric("seedance_nodejs_heap_size_used_bytes"),
  };
}

export function idleBotRow(idle: MemorySnapshot): Row {
  return row(
    name,
    "idle bot, nothing pending: RSS / heap in use / heap reserved",
    `${mebibytes(idle.rss)} / ${mebibytes(idle.heap)} / ${mebibytes(idle.heapTotal)}`,
  );
}

/** Memory per pending job above the idle bot: RSS and heap, each against the 2 KiB target. */
export function perJobRow(
  when: string,
  jobs: number,
  idle: MemorySnapshot,
  at: MemorySnapshot,
  judged = true,
): Row {
  const rss = (at.rss - idle.rss) / jobs;
  const heap = (at.heap - idle.heap) / jobs;
  const figure = `${when}: RSS / heap per pending job above the idle bot (heap reserved ${mebibytes(at.heapTotal)})`;
  const value = `${kibibytes(rss)} / ${kibibytes(heap)}`;
  if (!judged) return row(name, figure, value);
  return row(name, figure, value, "≤ 2 KiB", rss <= limit && heap <= limit);
}

export function marginalHeapRow(
  from: number,
  to: number,
  atFrom: MemorySnapshot,
  atTo: MemorySnapshot,
): Row {
  return row(
    name,
    `heap per job from ${from} to ${to} pending (marginal)`,
    kibibytes((atTo.heap - atFrom.heap) / (to - from)),
  );
}
