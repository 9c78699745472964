import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { type SpawnedProcess, spawnProcess } from "../support/spawned-process.ts";

const main = new URL("../../src/main.ts", import.meta.url).pathname;

/** One real bot process (`node src/main.ts`) of several sharing one DATABASE_URL, with its own DATA_DIR. */
export interface BotInstance {
  readonly id: string;
  readonly process: SpawnedProcess;
  readonly baseUrl: string;
  /** The leases /readyz says this instance holds (name#token). */
  leases(): Promise<string[]>;
  /** The Prometheus text /metrics answers. */
  metrics(): Promise<string>;
  kill(): Promise<void>;
  /** Kills it if still running and removes its DATA_DIR. */
  dispose(): Promise<void>;
}

export async function startBotInstance(
  id: string,
  environment: Record<string, string>,
): Promise<BotInstance> {
  const directory = mkdtempSync(join(tmpdir(), `seedance-${id}-`));
  const process = spawnProcess(globalThis.process.execPath, [main], {
    env: {
      PATH: globalThis.process.env.PATH ?? "",
      DATA_DIR: directory,
      PORT: "0",
      INSTANCE_ID: id,
      LOG_LEVEL: "info",
      ...environment,
    },
  });
  const [, port] = await process.waitFor(
    /"port":(\d+)[^\n]*seedance-bot is running/,
    `${id} start-up`,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  let alive = true;
  const kill = async () => {
    if (!alive) return;
    alive = false;
    process.child.kill("SIGKILL");
    await process.exited();
  };
  return {
    id,
    process,
    baseUrl,
    async leases() {
      if (!alive) return [];
      const response = await request(`${baseUrl}/readyz`);
      const body = (await response.body.json()) as { leases?: string[] };
      return body.leases ?? [];
    },
    async metrics() {
      return await (await request(`${baseUrl}/metrics`)).body.text();
    },
    kill,
    async dispose() {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
