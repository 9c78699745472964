import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { waitUntil } from "./wait-until.ts";

/**
 * Generous: a start-up on a loaded 2-core machine can take many seconds (at load average 35 two bots
 * printed nothing within 45 s); a failure says what it saw. Below the tests' 120 s timeout.
 */
const startUpMs = 90_000;

export interface SpawnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything written to stdout and stderr so far, in arrival order. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Waits (real time) until the output matches, and returns the match. */
  waitFor(pattern: RegExp, what?: string): Promise<RegExpExecArray>;
  /** Resolves with the exit code (null when ended by a signal) once the process has ended. */
  exited(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Ends, by their own pids, every process `spawnProcess` started that is still running. */
export function killSpawnedProcesses(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

export function spawnProcess(
  command: string,
  parameters: string[],
  options: SpawnOptions = {},
): SpawnedProcess {
  const child = spawn(command, parameters, { stdio: ["ignore", "pipe", "pipe"], ...options });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  running.add(child);
  let closed = false;
  const exit = new Promise<number | null>((resolve) => {
    child.once("close", (code) => {
      closed = true;
      running.delete(child);
      resolve(code);
    });
  });
  let all = "";
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
    all += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
    all += chunk.toString("utf8");
  });
  const pid = child.pid;
  return {
    child,
    pid,
    output: () => all,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(pattern, what = String(pattern)) {
      let match: RegExpExecArray | null = null;
      await waitUntil(
        () => {
          match = pattern.exec(all);
          return match !== null || closed;
        },
        { timeoutMs: startUpMs, message: `${what}; output so far:\n${all}` },
      );
      if (!match) throw new Error(`${command} exited before ${what}; output:\n${all}`);
      return match;
    },
    exited: () => exit,
  };
}

/** The state letter of a process in /proc (R, S, Z for a zombie…), or undefined once it is gone. */
export function processState(pid: number): string | undefined {
  try {
    // "pid (command) S ppid …": the command may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

/** How many of the process's threads still exist (a dying process loses them one by one). */
function threadCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return 0;
  }
}

/**
 * Waits until `pid` is a zombie: every thread has exited (so the kernel has closed its files and
 * dropped its locks), and only its entry is left, which its parent has not reaped. The main thread
 * alone shows "Z" a moment earlier, while the other threads may still be tearing down.
 */
export async function waitForZombie(pid: number): Promise<void> {
  await waitUntil(() => processState(pid) === "Z" && threadCount(pid) === 1, {
    timeoutMs: startUpMs,
    message: `process ${pid} to become a zombie (state ${processState(pid)}, ${threadCount(pid)} threads)`,
  });
}

export async function ended(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, "exit");
}
