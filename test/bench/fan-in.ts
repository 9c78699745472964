import { watchDeliveries } from "./playground-client.ts";
import { type Row, row } from "./report.ts";
import type { Stack } from "./stack.ts";
import { latencies, milliseconds, now, percentile, rounded, waitFor } from "./statistics.ts";

const name = "2. Fan-in";

/**
 * Every pending job completes on the provider's event stream, evenly over `fanInSpreadMs`.
 * Completion → download start is read at the hub; completion → delivered is when the playground's
 * card first carries the video (its delivery: the playground has no upload step).
 */
export async function runFanIn(
  stack: Stack,
  settings: { pending: number; fanInSpreadMs: number; fanInDeadlineMs: number },
  createdFromMark: number,
) {
  const { hub, bot } = stack;
  const watch = await watchDeliveries(bot.baseUrl, "fan");
  const mark = await hub.call("mark");
  const ids = await hub.call("pendingIds", "fan");
  const cpuBefore = bot.sample().cpuSeconds;
  const fired = new Map(await hub.call("completeSpread", ids, settings.fanInSpreadMs));
  const all = await waitFor(
    () => watch.delivered.size >= ids.length,
    settings.fanInDeadlineMs,
    200,
  );
  const elapsed = now() - Math.min(...fired.values());
  const cpu = bot.sample().cpuSeconds - cpuBefore;
  await watch.close();
  const downloads = new Map(await hub.call("downloads", mark));
  const lifetime = await hub.call("count", createdFromMark);
  const toDownload = latencies(fired, downloads);
  const toDelivered = latencies(fired, watch.delivered);
  const pair = (values: number[]) =>
    `${milliseconds(percentile(values, 0.5))} / ${milliseconds(percentile(values, 0.99))}`;
  const deadline = `${milliseconds(settings.fanInDeadlineMs)} after the last completion`;
  // Requests made for one job, and those shared by all of them (sweeps, stream reconnects, models).
  const own = ["enqueue", "status", "download", "cost", "cancel"] as const;
  const ownCount = own.reduce((sum, kind) => sum + (lifetime[kind] ?? 0), 0);
  const requestsPerJob = ownCount / ids.length;
  const sharedPerJob = ((lifetime.total ?? 0) - ownCount) / ids.length;
  const rows: Row[] = [
    row(
      name,
      `${ids.length} completions over ${milliseconds(settings.fanInSpreadMs)}: delivered`,
      all
        ? `all, last ${milliseconds(elapsed)} after the first completion`
        : `${watch.delivered.size} within ${deadline}`,
    ),
    row(name, "completion → download start (hub): p50 / p99", pair(toDownload)),
    row(name, "completion → video posted (playground card): p50 / p99", pair(toDelivered)),
    row(
      name,
      "provider requests per job, whole life: own + shared (sweeps, reconnects)",
      `${requestsPerJob.toFixed(2)} + ${sharedPerJob.toFixed(4)}${all ? "" : " (not all delivered)"}`,
      "≤ 3",
      all && requestsPerJob <= 3,
    ),
    row(
      name,
      "provider requests by kind",
      Object.entries(lifetime)
        .filter(([kind]) => kind !== "total")
        .map(([kind, count]) => `${kind} ${count}`)
        .join(", "),
    ),
    row(
      name,
      `bot CPU seconds, first completion → ${all ? "last delivery" : "deadline"}`,
      `${cpu.toFixed(1)} s (${((cpu / ids.length) * 1000).toFixed(2)} ms per job)`,
    ),
  ];
  return {
    rows,
    data: {
      jobs: ids.length,
      delivered: watch.delivered.size,
      elapsedMs: elapsed,
      cpuSeconds: cpu,
      requests: lifetime,
      toDownloadMs: toDownload.map(rounded),
      toDeliveredMs: toDelivered.map(rounded),
    },
  };
}
