/**
 * `npm run bench`: the generation core under load against the fake hub (in a worker thread, so the
 * heap measured is the bot's own). Prints what a job costs and how fast it moves, next to targets.
 * Usage: npm run bench -- [jobs=200]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChatAdapter } from "../../src/chat/chat-adapter.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import { origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { type RequestSummary, startHubWorker } from "./fake-hub-client.ts";

const jobCount = Math.max(60, Number(process.argv[2] ?? 200));
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function percentile(values: number[], fraction: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN
  ).toFixed(1);
}

function heapUsed(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

const hub = await startHubWorker();
const directory = mkdtempSync(join(tmpdir(), "seedance-bench-"));
const store = openSqliteJobStore({ path: join(directory, "jobs.sqlite") });
const provider = createOxenProvider({
  apiKey: hub.apiKey,
  baseUrl: hub.baseUrl,
  logger: createSilentLogger(),
});
const service = new GenerationService({
  store,
  provider,
  logger: createSilentLogger(),
  // One user submits every job here, so the per-user limit is lifted.
  settings: {
    videoDirectory: join(directory, "videos"),
    sweepIntervalMs: 3_600_000,
    maxJobsPerUser: 0,
  },
});
// A chat platform that keeps nothing, so the heap measured is the core's own.
let deliveries = 0;
const adapter: ChatAdapter = {
  platform: "test",
  start: async () => {},
  stop: async () => {},
  uploadLimitBytes: () => 25 * 1024 ** 2,
  showStatus: async (job) => `card-${job.id}`,
  deliver: async () => {
    deliveries++;
  },
};
service.registerAdapter(adapter);
await service.start();
await waitUntil(async () => (await hub.requests()).sseClients === 1);
const startupRequests = (await hub.requests()).requests.length;

// One at a time: what a single user waits for between asking and seeing the job queued.
const submitTimes: number[] = [];
const ids: Array<{ id: string; providerJobId: string }> = [];
for (let index = 0; index < 50; index++) {
  const started = performance.now();
  const job = await service.submit(
    { mode: "text", prompt: `single ${index}`, duration: 4 },
    origin,
  );
  submitTimes.push(performance.now() - started);
  ids.push({ id: job.id, providerJobId: job.providerJobId ?? "" });
}
await pause(300);
// A burst: everyone at once. The heap difference across it is what pending jobs cost in memory.
const heapBefore = heapUsed();
const burstStarted = performance.now();
const burst = await Promise.all(
  Array.from({ length: jobCount - ids.length }, async (_, index) => {
    const job = await service.submit(
      { mode: "text", prompt: `burst ${index}`, duration: 4 },
      origin,
    );
    return { id: job.id, providerJobId: job.providerJobId ?? "" };
  }),
);
const burstElapsed = performance.now() - burstStarted;
ids.push(...burst);
await pause(300);
const heapPending = heapUsed();

// A dropped stream makes the service reconcile every pending job: one list request for all of them.
const lists = (requests: RequestSummary[]) =>
  requests.filter((request) => request.method === "GET" && request.pathname === "/api/ai/queue")
    .length;
const singles = (requests: RequestSummary[]) =>
  requests.filter(
    (request) => request.method === "GET" && request.pathname.startsWith("/api/ai/queue/"),
  ).length;
const listsBefore = lists((await hub.requests()).requests);
hub.dropStreams();
await waitUntil(async () => lists((await hub.requests()).requests) > listsBefore, {
  timeoutMs: 10_000,
});
await pause(300);
const afterSweep = (await hub.requests()).requests;

const deliveredAt = new Map<string, number>();
service.onJobChange((job) => {
  if (job.state === "delivered") deliveredAt.set(job.id, performance.now());
});
const completedAt = performance.now();
hub.complete(ids.map((job) => job.providerJobId));
await waitUntil(() => deliveredAt.size === jobCount, {
  timeoutMs: 120_000,
  message: "every delivery",
});
const elapsed = Math.max(...deliveredAt.values()) - completedAt;
await pause(300);

const providerIds = new Set(ids.map((job) => job.providerJobId));
const perJob = (await hub.requests()).requests
  .slice(startupRequests)
  .filter(
    (request) =>
      (request.method === "POST" && request.pathname === "/api/ai/queue") ||
      [...providerIds].some((id) => request.pathname.includes(id)),
  ).length;
const latencies = [...deliveredAt.values()].map((time) => time - completedAt);

const rows: Array<[string, string, string]> = [
  ["jobs", String(jobCount), ""],
  ["provider requests per job (create + download + cost)", (perJob / jobCount).toFixed(2), "≤ 3"],
  ["duplicate deliveries", String(deliveries - jobCount), "0"],
  [
    `reconnect sweep, ${jobCount} pending: list / single requests`,
    `${lists(afterSweep) - listsBefore} / ${singles(afterSweep)}`,
    "1 / 0",
  ],
  [
    "submit → queued, one at a time, p50 / p95 (ms)",
    `${percentile(submitTimes, 0.5)} / ${percentile(submitTimes, 0.95)}`,
    "p95 < 50",
  ],
  [`burst of ${burst.length} submits, all queued after (ms)`, burstElapsed.toFixed(0), "< 2000"],
  [
    `${jobCount} completions at once → delivered, p50 / p95 (ms)`,
    `${percentile(latencies, 0.5)} / ${percentile(latencies, 0.95)}`,
    "p95 < 2000",
  ],
  ["deliveries per second", (jobCount / (elapsed / 1000)).toFixed(0), "≥ 50"],
  [
    "heap per pending job (bytes)",
    ((heapPending - heapBefore) / burst.length).toFixed(0),
    "< 4096",
  ],
];
const width = Math.max(...rows.map(([name]) => name.length));
process.stdout.write(
  `\nseedance-bot core benchmark (Node ${process.version}, fake hub on loopback)\n\n`,
);
for (const [name, value, target] of rows) {
  process.stdout.write(`${name.padEnd(width)}  ${value.padStart(14)}  ${target}\n`);
}

await service.stop();
await store.close();
await hub.close();
rmSync(directory, { recursive: true, force: true });
