import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { waitUntil } from "../../support/wait-until.ts";
import type { KillableConfiguration } from "./killable-configuration.ts";

const script = join(import.meta.dirname, "killable-service.ts");

export interface KillableEvent {
  event: string;
  jobId?: string;
  providerJobId?: string;
  state?: string;
}

/** A bot process started by the test, which the test ends with SIGKILL (by its own pid). */
export class KillableProcess {
  readonly events: KillableEvent[] = [];
  readonly #child: ChildProcess;
  #stderr = "";

  constructor(configuration: KillableConfiguration) {
    this.#child = spawn(process.execPath, [script, JSON.stringify(configuration)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let pending = "";
    this.#child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines)
        if (line.trim()) this.events.push(JSON.parse(line) as KillableEvent);
    });
    this.#child.stderr?.on("data", (chunk: Buffer) => {
      this.#stderr += chunk.toString("utf8");
    });
  }

  /** Waits (real time) for a step the process reported. */
  async reached(event: string, timeoutMs = 30_000): Promise<KillableEvent> {
    await waitUntil(() => this.events.some((candidate) => candidate.event === event), {
      timeoutMs,
      message: `the bot process to report "${event}"${this.#stderr ? `; stderr: ${this.#stderr}` : ""}`,
    });
    return this.events.find((candidate) => candidate.event === event) as KillableEvent;
  }

  /** False once the process has ended, whether killed or crashed. */
  get alive(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** What the process wrote to stderr (a crash's stack). */
  get stderr(): string {
    return this.#stderr;
  }

  /** SIGKILL: no shutdown code runs, sockets and the database are left as they are. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.#child, "exit");
    this.#child.kill("SIGKILL");
    await exited;
  }
}
