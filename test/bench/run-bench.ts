/**
 * `npm run bench`: the real bot (`node src/main.ts`, its own process) driven through the loopback
 * fakes — Discord's gateway and REST, and Oxen's queue with its event stream — in five scenarios
 * (and a sixth: the heap trim of a process that had a burst),
 * beside a polling baseline. Prints every figure next to its target and writes them as JSON.
 * Options (defaults are the numbers): see `--help`.
 */
import { availableParallelism, cpus, release, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatMarkdown, formatTable, type Row, row, writeJson } from "./report.ts";
import { runBurstAndCrash } from "./scenario-burst-and-crash.ts";
import { runHeapTrim } from "./scenario-heap-trim.ts";
import { runHostilePlayground } from "./scenario-hostile-playground.ts";
import { runIdleAndFanIn } from "./scenario-idle-and-fan-in.ts";
import { runMedia } from "./scenario-media.ts";
import { runProviderRequests } from "./scenario-provider-requests.ts";
import { runTransfer } from "./scenario-transfer.ts";

const text = (value: string) => ({ type: "string", default: value }) as const;
const options = {
  burst: text("1000"),
  "burst-seconds": text("1"),
  threads: text("20"),
  pending: text("10000"),
  "idle-seconds": text("60"),
  "fan-in-seconds": text("10"),
  "fan-in-deadline-seconds": text("180"),
  transfers: text("20"),
  "transfer-mib": text("8"),
  "polling-jobs": text("50"),
  "hostile-uploads": text("40"),
  "hostile-upload-mib": text("50"),
  "hostile-streams": text("200"),
  "hostile-messages": text("2000"),
  only: text("burst,transfer,idle,trim,hostile,providers,media"),
  out: text(fileURLToPath(new URL("./results/latest.json", import.meta.url))),
  quick: { type: "boolean", default: false },
  markdown: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;
const { values } = parseArgs({ options });
if (values.help) {
  const usage = Object.entries(options)
    .map(([name, { type, default: value }]) =>
      type === "string" ? `[--${name}=${value}]` : `[--${name}]`,
    )
    .join(" ");
  process.stdout.write(
    `npm run bench -- ${usage}\n--quick: a small run (200 commands, 2,000 pending, 20 s idle) to try the bench out.\n`,
  );
  process.exit(0);
}
type NumberOption = Exclude<keyof typeof options, "only" | "out" | "quick" | "markdown" | "help">;
const option = (name: NumberOption, quick?: number) =>
  values.quick && quick !== undefined ? quick : Number(values[name]);
const scale = {
  commands: option("burst", 200),
  burstSeconds: option("burst-seconds"),
  threads: option("threads"),
  pending: option("pending", 2_000),
  idleSeconds: option("idle-seconds", 20),
  fanInSeconds: option("fan-in-seconds"),
  fanInDeadlineSeconds: option("fan-in-deadline-seconds", 60),
  transfers: option("transfers"),
  transferMiB: option("transfer-mib"),
  pollingJobs: option("polling-jobs"),
  hostileUploads: option("hostile-uploads", 10),
  hostileUploadMiB: option("hostile-upload-mib"),
  hostileStreams: option("hostile-streams", 50),
  hostileMessages: option("hostile-messages", 200),
};
const only = new Set(values.only.split(","));
const machine = {
  cpus: availableParallelism(),
  cpuModel: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  kernel: release(),
};
const started = performance.now();
const progress = (text: string) =>
  process.stderr.write(
    `[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`,
  );

progress(
  `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
progress(`scale: ${JSON.stringify(scale)}`);
const rows: Row[] = [];
const data: Record<string, unknown> = {};

/** Runs one scenario; a failure becomes a failed row, and the other scenarios still run. */
async function scenario(
  key: string,
  title: string,
  run: () => Promise<{ rows: Row[]; data: unknown }>,
): Promise<void> {
  if (!only.has(key)) return;
  progress(title);
  try {
    const result = await run();
    rows.push(...result.rows);
    data[key] = result.data;
  } catch (error) {
    progress(`${key} failed: ${String(error)}`);
    rows.push(row(title, "the scenario failed", String(error).split("\n")[0] ?? "", "", false));
  }
}

await scenario(
  "burst",
  `1. burst of ${scale.commands} slash commands, then 5. crash recovery with them in flight`,
  () =>
    runBurstAndCrash({
      commands: scale.commands,
      spreadMs: scale.burstSeconds * 1000,
      threads: scale.threads,
    }),
);
await scenario("transfer", `4. transfer: ${scale.transfers} × ${scale.transferMiB} MiB`, () =>
  runTransfer({
    videos: scale.transfers,
    videoBytes: scale.transferMiB * 1024 ** 2,
    uploadLimitBytes: 10 * 1024 ** 2,
  }),
);
await scenario(
  "idle",
  `3. idle cost at ${scale.pending} pending (${scale.idleSeconds} s idle, polling baseline beside it), then 2. fan-in`,
  () =>
    runIdleAndFanIn({
      pending: scale.pending,
      idleWindowMs: scale.idleSeconds * 1000,
      fanInSpreadMs: scale.fanInSeconds * 1000,
      fanInDeadlineMs: scale.fanInDeadlineSeconds * 1000,
      pollingJobs: scale.pollingJobs,
    }),
);
await scenario("trim", "6. heap trim: one burst in a real process, then quiet", () =>
  runHeapTrim(),
);
await scenario(
  "hostile",
  `7. hostile playground: ${scale.hostileUploads} × ${scale.hostileUploadMiB} MiB uploads, ${scale.hostileStreams} streams not reading`,
  () =>
    runHostilePlayground({
      uploads: scale.hostileUploads,
      uploadBytes: scale.hostileUploadMiB * 1024 ** 2,
      streams: scale.hostileStreams,
      messages: scale.hostileMessages,
    }),
);
await scenario(
  "providers",
  "8. fal.ai and BytePlus: provider requests per job, polled and pushed",
  () => runProviderRequests({ jobs: 20, speedUp: 10 }),
);
await scenario(
  "media",
  "9. media: fit a 15 s 1080p clip into 10 MiB, last frame, poster, stitch four clips",
  () => runMedia({ fitSeconds: values.quick ? 5 : 15 }),
);
// Scenario order in the issue.
rows.sort((first, second) => first.scenario.localeCompare(second.scenario));
const runtimeSeconds = Math.round((performance.now() - started) / 100) / 10;
process.stdout.write(`\nseedance-bot benchmark: the real bot process against loopback fakes\n`);
process.stdout.write(
  `${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}; scale ${JSON.stringify(scale)}\n\n`,
);
process.stdout.write(`${formatTable(rows)}\n\ntotal runtime ${runtimeSeconds} s\n`);
if (values.markdown) process.stdout.write(`\n${formatMarkdown(rows)}\n`);
writeJson(values.out, {
  date: new Date().toISOString(),
  machine,
  scale,
  runtimeSeconds,
  rows,
  data,
});
progress(`results written to ${values.out}`);
// Anything a failed scenario left behind (a worker, a socket) must not keep the bench running.
process.exit(0);
