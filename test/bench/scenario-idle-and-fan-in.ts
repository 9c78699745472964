import { runFanIn } from "./fan-in.ts";
import { idleBotRow, marginalHeapRow, perJobRow, settleMs, snapshot } from "./idle-cost.ts";
import { sendVideoMessages } from "./playground-client.ts";
import { runPollingBaseline } from "./polling-baseline.ts";
import { type Row, row } from "./report.ts";
import { startStack } from "./stack.ts";
import { milliseconds, pause, percentile, rounded, waitFor } from "./statistics.ts";

export interface IdleSettings {
  pending: number;
  /** How long the bot sits with every job pending, to count its requests (ms). */
  idleWindowMs: number;
  fanInSpreadMs: number;
  /** How long to wait for the fan-in's deliveries after the last completion (ms). */
  fanInDeadlineMs: number;
  pollingJobs: number;
}

const name = "3. Idle cost";
const pair = (values: number[]) =>
  `${milliseconds(percentile(values, 0.5))} / ${milliseconds(percentile(values, 0.99))}`;

/**
 * 3. Idle cost: the bot's memory with nothing pending, then with `pending` jobs queued at the provider
 * (made through the playground's HTTP API, the same path as a browser), after a quiet minute, and in
 * a freshly restarted process; its provider requests and CPU while they wait; one dropped stream.
 * Then 2. fan-in on the same jobs. The polling baseline runs on its own hub during the quiet minute.
 */
export async function runIdleAndFanIn(settings: IdleSettings) {
  const stack = await startStack({ playground: true });
  const { hub, bot } = stack;
  const rows: Row[] = [];
  try {
    const idle = await snapshot(bot, settleMs);
    const startMark = await hub.call("mark");
    const single = await sendVideoMessages(bot.baseUrl, "fan", { from: 0, to: 50 }, 1);
    const warm = Math.min(1_000, settings.pending);
    await sendVideoMessages(bot.baseUrl, "fan", { from: 50, to: warm }, 16);
    const atWarm = await snapshot(bot);
    const range = { from: warm, to: settings.pending };
    const loaded = await sendVideoMessages(bot.baseUrl, "fan", range, 16);
    const atPending = await snapshot(bot);
    const atPendingSettled = await snapshot(bot, settleMs - 3_000);
    const created = await hub.call("count", startMark);
    rows.push(
      row(
        name,
        `${settings.pending} /video via the playground API, queued at the provider`,
        `${created.enqueue ?? 0}`,
      ),
      row(
        name,
        "request → job queued at the provider, one at a time: p50 / p99",
        pair(single),
        "p99 < 50 ms",
        percentile(single, 0.99) < 50,
      ),
      row(name, "the same, 16 at a time: p50 / p99", pair(loaded)),
      idleBotRow(idle),
      perJobRow(
        `${settings.pending} pending, 3 s after the last`,
        settings.pending,
        idle,
        atPending,
        false,
      ),
      perJobRow(
        `${settings.pending} pending, once quiet (${settleMs / 1000} s)`,
        settings.pending,
        idle,
        atPendingSettled,
      ),
      marginalHeapRow(warm, settings.pending, atWarm, atPending),
    );

    const idleMark = await hub.call("mark");
    const cpuBefore = bot.sample().cpuSeconds;
    const [polling] = await Promise.all([
      runPollingBaseline({
        jobs: settings.pollingJobs,
        generationMs: 600_000,
        pollIntervalMs: 5_000,
        speedUp: 60,
      }),
      pause(settings.idleWindowMs),
    ]);
    const idleCounts = await hub.call("count", idleMark);
    const idleCpu = bot.sample().cpuSeconds - cpuBefore;
    const minutes = settings.idleWindowMs / 60_000;
    const afterIdle = await snapshot(bot);
    rows.push(
      row(
        name,
        `provider requests per minute with ${settings.pending} pending (sweeps included)`,
        `${((idleCounts.total ?? 0) / minutes).toFixed(1)} (${idleCounts.list ?? 0} list in ${minutes.toFixed(1)} min)`,
      ),
      row(
        name,
        "bot CPU while they wait",
        `${((idleCpu / (settings.idleWindowMs / 1000)) * 100).toFixed(1)} %`,
      ),
      perJobRow(`after ${minutes.toFixed(1)} min idle`, settings.pending, idle, afterIdle),
    );

    // A dropped stream: one list request reconciles every pending job, none is looked up singly.
    const dropMark = await hub.call("mark");
    await hub.call("dropStreams");
    const sweep = async () => ((await hub.call("count", dropMark)).list ?? 0) >= 1;
    await waitFor(async () => (await sweep()) && (await hub.call("sseClients")) >= 1, 60_000);
    await pause(2_000);
    const afterDrop = await hub.call("count", dropMark);
    rows.push(
      row(
        name,
        `stream dropped with ${settings.pending} pending: list / single status requests`,
        `${afterDrop.list ?? 0} / ${afterDrop.status ?? 0}`,
        "1 / 0",
        afterDrop.list === 1 && !afterDrop.status,
      ),
    );

    // The same jobs held by a freshly started process, without the leftovers of making them.
    await bot.stop();
    const afterRestart = await snapshot(await stack.restart(), settleMs);
    rows.push(
      perJobRow(
        `restarted with them pending, once quiet (${settleMs / 1000} s)`,
        settings.pending,
        idle,
        afterRestart,
      ),
    );

    const fanIn = await runFanIn(stack, settings, startMark);
    rows.push(
      ...fanIn.rows,
      row(
        "2. Fan-in",
        "polling baseline: requests per job, 10-minute generation, GET every 5 s",
        `${polling.requestsPerJob.toFixed(1)} (enqueue ${polling.counts.enqueue}, polls ${polling.counts.status}, downloads ${polling.counts.download})`,
      ),
      row(
        "2. Fan-in",
        "polling baseline: result noticed after it was ready (mean)",
        milliseconds(polling.meanNoticeDelayMs),
      ),
    );
    const memory = { idle, atWarm, atPending, afterIdle, afterRestart };
    const submitMs = { single: single.map(rounded), loaded: loaded.map(rounded) };
    return {
      rows,
      data: { memory, idleCounts, idleCpu, afterDrop, polling, fanIn: fanIn.data, submitMs },
    };
  } finally {
    await stack.close();
  }
}
