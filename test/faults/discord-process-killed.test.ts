import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/fake-discord.ts";
import { fakeUser, slashCommand } from "../fakes/fake-discord-payloads.ts";
import { startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { type SpawnedProcess, spawnProcess } from "../support/spawned-process.ts";
import { waitUntil } from "../support/wait-until.ts";

const main = new URL("../../src/main.ts", import.meta.url).pathname;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const uploadsTo = (fake: FakeDiscord) =>
  fake
    .callsTo("POST", /^\/channels\/\d+\/messages$/)
    .filter((call) => call.files[0]?.contentType === "video/mp4");

describe("fault: npm start with Discord, SIGKILL with a job pending, immediate restart on the same DATA_DIR", () => {
  it("the restarted bot delivers the pending job once, and the provider was asked once", async () => {
    const discord = await FakeDiscord.start();
    const hub = await startFakeOxenServer();
    const directory = mkdtempSync(join(tmpdir(), "seedance-discord-kill-"));
    cleanups.push(
      () => discord.close(),
      () => hub.close(),
      () => rmSync(directory, { recursive: true, force: true }),
    );
    const environment = {
      PATH: process.env.PATH ?? "",
      DATA_DIR: directory,
      PORT: "0",
      LOG_LEVEL: "info",
      PROVIDER: "oxen",
      OXEN_API_KEY: hub.apiKey,
      OXEN_BASE_URL: hub.baseUrl,
      DISCORD_TOKEN: "kill-test-token",
      DISCORD_API_URL: discord.apiUrl,
      PLAYGROUND: "false",
    };
    const start = async (): Promise<SpawnedProcess> => {
      const sessions = discord.identifyPayloads.length;
      const bot = spawnProcess(process.execPath, [main], { env: environment });
      cleanups.push(async () => {
        if (bot.child.exitCode === null && bot.child.signalCode === null) {
          bot.child.kill("SIGKILL");
          await bot.exited();
        }
      });
      await waitUntil(() => discord.identifyPayloads.length > sessions, {
        message: `a gateway session; output: ${bot.output()}`,
      });
      return bot;
    };

    const first = await start();
    const alice = fakeUser("100000000000000001", "alice");
    slashCommand(discord, "video", { prompt: "a kite over the dunes" }, { user: alice });
    // Pending at the provider, and the card says so.
    await waitUntil(() => hub.jobs.size === 1, { message: "the job at the provider" });
    await waitUntil(
      () => discord.calls.some((call) => JSON.stringify(call.json ?? {}).includes("Queued")),
      { message: "the Queued card" },
    );
    process.kill(first.pid, "SIGKILL");
    await first.exited();

    await start();
    const [providerJobId] = [...hub.jobs.keys()];
    hub.complete(providerJobId ?? "");
    await waitUntil(() => uploadsTo(discord).length >= 1, { message: "the video posted" });
    // Delivered means the card says Done, after the upload: no second upload can follow.
    await waitUntil(
      () => discord.calls.some((call) => JSON.stringify(call.json ?? {}).includes("✅ Done")),
      { message: "the Done card" },
    );
    expect(uploadsTo(discord)).toHaveLength(1);
    expect(
      hub.requests.filter((r) => r.method === "POST" && r.pathname === "/api/ai/queue"),
    ).toHaveLength(1);
    expect(hub.jobs.size).toBe(1);
  });
});
