import { afterEach, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/fake-discord.ts";
import { startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { waitUntil } from "../support/wait-until.ts";
import { type BotInstance, startBotInstance } from "./bot-instance.ts";

const databases = testDatabases();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function shardLeases(instance: BotInstance): Promise<string[]> {
  return (await instance.leases())
    .filter((lease) => lease.startsWith("discord-shard:"))
    .map((lease) => lease.split("#")[0] ?? "")
    .sort();
}

it("two real processes on one PostgreSQL: /readyz lists each one's shard leases, each shard held and connected once; a SIGKILLed one's shards are taken over", async () => {
  const [url, hub, discord] = await Promise.all([
    databases.create(),
    startFakeOxenServer(),
    FakeDiscord.start({ shardCount: 3, maxConcurrency: 3 }),
  ]);
  cleanups.push(
    () => hub.close(),
    () => discord.close(),
  );
  // Short leases so the test does not wait for production's 10 s; it asserts outcomes, never durations.
  const environment = {
    DATABASE_URL: url,
    PROVIDER: "oxen",
    OXEN_API_KEY: hub.apiKey,
    OXEN_BASE_URL: hub.baseUrl,
    DISCORD_TOKEN: "test-token",
    DISCORD_API_URL: discord.apiUrl,
    PLAYGROUND: "false",
    LEASE_TTL_MS: "2000",
    LEASE_RENEW_MS: "400",
    LEASE_RETRY_MS: "250",
  };
  const instances: BotInstance[] = [];
  for (const id of ["bot-1", "bot-2"]) {
    const instance = await startBotInstance(id, environment);
    cleanups.push(() => instance.dispose());
    instances.push(instance);
  }
  const [first, second] = instances;
  if (!first || !second) throw new Error("no instances");
  let held: string[][] = [];
  await waitUntil(
    async () => {
      held = [await shardLeases(first), await shardLeases(second)];
      return (
        held[0]?.length === 2 &&
        held[1]?.length === 1 &&
        discord.connectedShards().join() === "0,1,2"
      );
    },
    { message: "three shards shared out between the two, each connected once" },
  );
  expect(held.flat().sort()).toEqual(["discord-shard:0", "discord-shard:1", "discord-shard:2"]);
  await first.kill();
  await waitUntil(
    async () =>
      (await shardLeases(second)).length === 3 && discord.connectedShards().join() === "0,1,2",
    { message: "the survivor to hold and connect every shard" },
  );
  expect(await second.metrics()).toContain('seedance_leases_held{lease="discord_shard"} 3');
});
