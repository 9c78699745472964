import { type Row, row } from "./report.ts";
import { startStack } from "./stack.ts";
import { milliseconds, now, pause, percentile, rounded, waitFor } from "./statistics.ts";

export interface BurstSettings {
  /** Slash commands in the burst, and so jobs in flight at the kill. */
  commands: number;
  /** Over how long the burst is spread (ms). */
  spreadMs: number;
  /** Threads (and the channel) the commands come from. */
  threads: number;
}

const burstName = "1. Burst";
const crashName = "5. Crash recovery";

/**
 * 1. Many `/video` commands through the gateway: how soon each is acknowledged, as the fake's REST
 *    side sees the deferral arrive. 5. With those jobs in flight, SIGKILL the bot mid-delivery (half
 *    completed with events, the other half completed while it is down, events missed), restart it,
 *    and count deliveries until every job has its video.
 */
export async function runBurstAndCrash(settings: BurstSettings) {
  const stack = await startStack({ threads: settings.threads });
  const { hub, discord } = stack;
  const rows: Row[] = [];
  try {
    const cpuBefore = stack.bot.sample().cpuSeconds;
    const burstStarted = now();
    const burst = await discord.call(
      "burst",
      "burst",
      settings.commands,
      settings.spreadMs,
      stack.threadIds,
    );
    const answered = await waitFor(
      async () => (await discord.call("acknowledgements", "burst")).unanswered === 0,
      30_000,
    );
    const { latencies, unanswered } = await discord.call("acknowledgements", "burst");
    const all = [...latencies, ...Array<number>(unanswered).fill(Number.POSITIVE_INFINITY)];
    const p99 = percentile(all, 0.99);
    rows.push(
      row(
        burstName,
        `${settings.commands} /video in ${(burst.elapsedMs / 1000).toFixed(1)} s: ack p50 / p99 / max`,
        `${milliseconds(percentile(all, 0.5))} / ${milliseconds(p99)} / ${milliseconds(percentile(all, 1))}`,
        "p99 < 100 ms",
        answered && p99 < 100,
      ),
    );
    // Every card shown and every job at the provider before the crash part starts.
    const settled = await waitFor(
      async () =>
        (await discord.call("cards", "burst")) >= settings.commands &&
        (await hub.call("pendingIds", "burst")).length >= settings.commands,
      120_000,
      250,
    );
    const cpuBurst = stack.bot.sample().cpuSeconds - cpuBefore;
    rows.push(
      row(
        burstName,
        "all status cards shown, from the first command (Discord allows 50 requests/s)",
        settled ? milliseconds(now() - burstStarted) : "not within 120 s",
      ),
      row(
        burstName,
        "bot CPU per command (deferral, submit, status card)",
        milliseconds((cpuBurst / settings.commands) * 1000),
      ),
    );

    const ids = await hub.call("pendingIds", "burst");
    const half = Math.floor(ids.length / 2);
    await hub.call("completeSpread", ids.slice(0, half), 0);
    await waitFor(
      async () => (await discord.call("uploads", "burst")).length >= Math.min(20, half),
      60_000,
      20,
    );
    await stack.bot.kill();
    const beforeKill = (await discord.call("uploads", "burst")).length;
    await hub.call("completeSilently", ids.slice(half));
    const restarted = now();
    const restCallsBefore = await discord.call("restCalls");
    await stack.restart();
    const delivered = await waitFor(
      async () =>
        new Set((await discord.call("uploads", "burst")).map((upload) => upload.key)).size >=
        ids.length,
      240_000,
      100,
    );
    const elapsed = now() - restarted;
    await pause(2_000);
    const uploads = await discord.call("uploads", "burst");
    const restCalls = (await discord.call("restCalls")) - restCallsBefore;
    const restByRoute = await discord.call("restCallsByRoute", restCallsBefore);
    const unique = new Set(uploads.map((upload) => upload.key)).size;
    rows.push(
      row(
        crashName,
        `SIGKILL with ${ids.length} in flight (${beforeKill} posted before it), restart → all delivered`,
        delivered ? milliseconds(elapsed) : `not within 240 s (${unique} of ${ids.length})`,
      ),
      row(
        crashName,
        "Discord REST calls per job after the restart (card edits, checks, upload)",
        (restCalls / Math.max(1, ids.length - beforeKill)).toFixed(1),
      ),
      row(
        crashName,
        "videos posted / distinct jobs",
        `${uploads.length} / ${unique}`,
        `exactly ${ids.length} / ${ids.length}`,
        uploads.length === ids.length && unique === ids.length,
      ),
    );
    return {
      rows,
      data: {
        burst: { ...settings, latencies: all.map(rounded), cpuSeconds: cpuBurst },
        crash: { beforeKill, elapsedMs: elapsed, uploads: uploads.length, unique, restByRoute },
      },
    };
  } finally {
    await stack.close();
  }
}
