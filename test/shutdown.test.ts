import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import {
  killSpawnedProcesses,
  processState,
  type SpawnedProcess,
  spawnProcess,
  waitForZombie,
} from "./support/spawned-process.ts";

const main = new URL("../src/main.ts", import.meta.url).pathname;
const zombieParent = new URL("./support/zombie-parent.ts", import.meta.url).pathname;
const openLine = /Open http:\/\/127\.0\.0\.1:(\d+)\//;

const directories: string[] = [];
const blockers: Server[] = [];
afterAll(() => {
  killSpawnedProcesses();
  for (const blocker of blockers) blocker.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** Each test its own DATA_DIR, so they run side by side. */
function dataDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "seedance-process-"));
  directories.push(directory);
  return directory;
}

function environment(directory: string, extra: Record<string, string> = {}) {
  return {
    PATH: process.env.PATH ?? "",
    DATA_DIR: directory,
    PORT: "0",
    LOG_LEVEL: "info",
    ...extra,
  };
}

function startBot(directory: string, extra: Record<string, string> = {}): SpawnedProcess {
  return spawnProcess(process.execPath, [main], { env: environment(directory, extra) });
}

async function healthy(bot: SpawnedProcess): Promise<void> {
  const [, port] = await bot.waitFor(openLine, "start-up");
  expect((await request(`http://127.0.0.1:${port}/healthz`)).statusCode).toBe(200);
}

/** A start-up that must fail: exit 1 and exactly one line on stderr, with no stack anywhere. */
async function refusal(bot: SpawnedProcess): Promise<string> {
  expect(await bot.exited()).toBe(1);
  expect(bot.output()).not.toMatch(/\n\s+at |Error:/);
  const lines = bot.stderr().trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] ?? "";
}

// Real processes spend most of their time starting up: the tests run side by side.
describe.concurrent("the bot process", () => {
  it("starts with nothing configured, serves /healthz, and stops cleanly on SIGTERM", async () => {
    const directory = dataDirectory();
    const bot = startBot(directory);
    await healthy(bot);
    bot.child.kill("SIGTERM");
    expect(await bot.exited()).toBe(0);
    expect(bot.output()).toContain("shutting down; unfinished jobs resume on the next start");
    // The lock went with the process: the next one starts at once.
    await healthy(startBot(directory));
  });

  it("restarts at once after SIGKILL, even while the killed bot is an unreaped zombie", async () => {
    const directory = dataDirectory();
    const parent = spawnProcess(process.execPath, [zombieParent, process.execPath, main], {
      env: environment(directory),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const pid = Number((await parent.waitFor(/"child":(\d+)/, "the bot's pid"))[1]);
    await parent.waitFor(openLine, "start-up");
    process.kill(pid, "SIGKILL");
    await waitForZombie(pid);
    await healthy(startBot(directory));
    expect(processState(pid)).toBe("Z");
    parent.child.stdin?.end();
    expect(await parent.exited()).toBe(0);
  });

  it("refuses a second process on the same DATA_DIR, and a bad setting, with one clear line", async () => {
    const directory = dataDirectory();
    const first = startBot(directory);
    await first.waitFor(openLine, "start-up");
    expect(await refusal(startBot(directory))).toBe(
      `Another seedance-bot (pid ${first.pid}) is using DATA_DIR=${directory}; stop it, or give this one its own DATA_DIR.`,
    );

    const misconfigured = startBot(directory, { PROVIDER: "oxen", PORT: "eighty" });
    expect(await misconfigured.exited()).toBe(1);
    expect(misconfigured.stderr()).toContain("Invalid configuration:");
    expect(misconfigured.stderr()).toContain(
      'PORT must be a whole number from 0 to 65535 (got "eighty")',
    );
    expect(misconfigured.stderr()).toContain("OXEN_API_KEY is required when PROVIDER=oxen");
  });

  it("a port in use ends with one line naming PORT and HOST", async () => {
    const blocker = createServer();
    blockers.push(blocker);
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const { port } = blocker.address() as AddressInfo;
    const bot = startBot(dataDirectory(), { PORT: String(port), HOST: "127.0.0.1" });
    expect(await refusal(bot)).toBe(
      `PORT=${port} on HOST=127.0.0.1 is already in use: stop what is using it, or set PORT to a free port (PORT=0 picks one).`,
    );
  });

  it("an exposed HOST without PLAYGROUND_TOKEN, with nothing else to serve, ends with one line", async () => {
    expect(await refusal(startBot(dataDirectory(), { HOST: "0.0.0.0" }))).toBe(
      "Invalid configuration: PLAYGROUND_TOKEN is required when the playground is reachable beyond this machine (HOST=0.0.0.0); set one of 16+ characters, or set HOST=127.0.0.1",
    );
  });

  it("a HOST that is not this machine's ends with one line", async () => {
    // 203.0.113.0/24 is reserved for documentation: never an address of this machine.
    const bot = startBot(dataDirectory(), {
      HOST: "203.0.113.7",
      PLAYGROUND_TOKEN: "a-long-enough-token",
    });
    expect(await refusal(bot)).toBe(
      "HOST=203.0.113.7 is not an address of this machine: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).",
    );
  });
});
