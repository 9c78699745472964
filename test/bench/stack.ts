import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BotProcess, startBotProcess } from "./bot-process.ts";
import { type Discord, startDiscord } from "./discord-client.ts";
import { type Hub, startHub } from "./hub-client.ts";
import { pause, waitFor } from "./statistics.ts";

export interface StackOptions {
  /** Size of every result video; default the 13 KB fixture. */
  videoBytes?: number;
  /** Serve the playground too (a fast, real entry point for many jobs). */
  playground?: boolean;
  /** Threads opened before the bot connects, so deliveries can go to several channels. */
  threads?: number;
}

/**
 * One benchmark setup: the fake hub and the fake Discord (each in a worker thread of this process)
 * and the real bot as a child process, configured only through its environment, as an operator would.
 */
/** `BENCH_PROFILE_DIR=/tmp/profiles npm run bench`: each bot writes a CPU profile there when it stops. */
const profileDirectory = process.env.BENCH_PROFILE_DIR;
const profiling = profileDirectory ? ["--cpu-prof", `--cpu-prof-dir=${profileDirectory}`] : [];

export async function startStack(options: StackOptions = {}) {
  const hub: Hub = await startHub(options.videoBytes ? { videoBytes: options.videoBytes } : {});
  const discord: Discord = await startDiscord();
  const threadIds = options.threads ? await discord.call("createThreads", options.threads) : [];
  const dataDirectory = mkdtempSync(join(tmpdir(), "seedance-bench-"));
  const environment = {
    PROVIDER: "oxen",
    OXEN_API_KEY: hub.apiKey,
    OXEN_BASE_URL: hub.baseUrl,
    DISCORD_TOKEN: "bench-discord-token",
    DISCORD_API_URL: discord.apiUrl,
    DATA_DIR: dataDirectory,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    // One person may have any number of jobs here: the benchmark's users are few and busy.
    MAX_JOBS_PER_USER: "0",
    PLAYGROUND: options.playground ? "true" : "false",
  };

  async function launch(): Promise<BotProcess> {
    const sessions = await discord.call("identified");
    const started = await startBotProcess(environment, profiling);
    try {
      await started.ready();
      // Connected to the gateway (READY and the guild sent) before anyone types a command.
      if (!(await waitFor(async () => (await discord.call("identified")) > sessions, 30_000))) {
        throw new Error(`the bot never opened a gateway session:\n${started.logTail.join("\n")}`);
      }
      await pause(500);
      return started;
    } catch (error) {
      await started.kill();
      throw error;
    }
  }

  async function closeFakes(): Promise<void> {
    await hub.close();
    await discord.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  }

  const first = await launch().catch(async (error: unknown) => {
    await closeFakes();
    throw error;
  });

  const stack = {
    hub,
    discord,
    threadIds,
    bot: first,
    /** Starts the bot again on the same data directory (after a kill or stop). */
    async restart(): Promise<BotProcess> {
      stack.bot = await launch();
      return stack.bot;
    },
    async close(): Promise<void> {
      // A profile is written on a normal exit only.
      if (profileDirectory) await stack.bot.stop(60_000);
      else await stack.bot.kill();
      await closeFakes();
    },
  };
  return stack;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;
