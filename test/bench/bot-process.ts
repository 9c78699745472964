import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const probe = fileURLToPath(new URL("./bot-probe.ts", import.meta.url));
/** Linux reports CPU time in clock ticks of 1/100 s. */
const ticksPerSecond = 100;
/**
 * The Node flags of `npm start` (package.json), so the bench runs the bot with the same runtime
 * settings as production (for example V8's memory mode), never with bench-only ones.
 */
const startScript: string =
  JSON.parse(readFileSync(`${root}/package.json`, "utf8")).scripts?.start ?? "";
const startFlags = startScript.split(/\s+/).filter((word) => word.startsWith("--"));
/** The image's allocator settings (Dockerfile `ENV MALLOC_*`), for the same reason. */
const imageAllocatorSettings = Object.fromEntries(
  [...readFileSync(`${root}/Dockerfile`, "utf8").matchAll(/^\s*(MALLOC_\w+)=(\S+)/gm)].map(
    (match) => [match[1], match[2]],
  ),
);
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export interface ProcessSample {
  /** Resident set size now and its peak since the last `resetPeak` (bytes), from /proc. */
  rssBytes: number;
  peakRssBytes: number;
  /** User + system CPU seconds used so far, from /proc. */
  cpuSeconds: number;
}

export interface HeapSample {
  heapUsedBytes: number;
  /** What V8 has reserved for the heap (used or not). */
  heapTotalBytes: number;
  rssBytes: number;
  externalBytes: number;
  arrayBuffersBytes: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * `node src/main.ts` as its own process, configured only through the environment, with the
 * measuring probe preloaded. Its memory and CPU are read from /proc, never from this process.
 */
export async function startBotProcess(
  environment: Record<string, string>,
  nodeArguments: string[] = [],
) {
  const port = Number(environment.PORT) || (await freePort());
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...new Set(["--expose-gc", ...startFlags]),
      ...nodeArguments,
      "--import",
      probe,
      "src/main.ts",
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ...imageAllocatorSettings,
        ...environment,
        PORT: String(port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    },
  );
  const logTail: string[] = [];
  const keep = (chunk: Buffer) => {
    logTail.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    logTail.splice(0, Math.max(0, logTail.length - 40));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = once(child, "exit");
  const pid = child.pid ?? 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  let measureId = 0;

  const bot = {
    pid,
    baseUrl,
    logTail,
    /** Resolves once /readyz answers 200 (store open, provider stream connected). */
    async ready(timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) break;
        const status = await fetch(`${baseUrl}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return;
        await pause(50);
      }
      throw new Error(`the bot did not become ready:\n${logTail.join("\n")}`);
    },
    sample(): ProcessSample {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kilobytes = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
      // Fields after the parenthesised command name; utime and stime are the 14th and 15th overall.
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      return {
        rssBytes: kilobytes("VmRSS"),
        peakRssBytes: kilobytes("VmHWM"),
        cpuSeconds: ticks / ticksPerSecond,
      };
    },
    /** Starts a new peak-RSS window (VmHWM), as `echo 5 > /proc/PID/clear_refs` does. */
    resetPeak(): void {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    },
    /** The heap after two full collections, asked of the probe inside the bot. */
    async heap(timeoutMs = 30_000): Promise<HeapSample> {
      const id = ++measureId;
      const answer = new Promise<HeapSample>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the probe did not answer")), timeoutMs);
        const listen = (message: { type?: string; id?: number; memory?: NodeJS.MemoryUsage }) => {
          if (message.type !== "measured" || message.id !== id || !message.memory) return;
          clearTimeout(timer);
          child.off("message", listen);
          resolve({
            heapUsedBytes: message.memory.heapUsed,
            heapTotalBytes: message.memory.heapTotal,
            rssBytes: message.memory.rss,
            externalBytes: message.memory.external,
            arrayBuffersBytes: message.memory.arrayBuffers,
          });
        };
        child.on("message", listen);
      });
      child.send({ type: "measure", id });
      return answer;
    },
    /** One value of the bot's own Prometheus metrics (first matching series). */
    async metric(name: string): Promise<number | undefined> {
      const text = await fetch(`${baseUrl}/metrics`).then((response) => response.text());
      const line = text.split("\n").find((candidate) => candidate.startsWith(name));
      return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
    },
    /** SIGKILL: no shutdown code runs. */
    async kill(): Promise<void> {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
    /** SIGTERM, the graceful path; SIGKILL after `graceMs`. */
    async stop(graceMs = 15_000): Promise<void> {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return bot;
}

export type BotProcess = Awaited<ReturnType<typeof startBotProcess>>;
