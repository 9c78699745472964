import { afterEach, expect, it } from "vitest";
import type { CoordinationStore } from "../../src/coordination/coordination.ts";
import { openPostgresCoordination } from "../../src/coordination/postgres-coordination.ts";
import { ShardLeases } from "../../src/coordination/shard-leases.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { type Bot, startBot, uploads } from "../adapters/discord/discord-harness.ts";
import { FakeDiscord } from "../fakes/fake-discord.ts";
import type { GuildIds } from "../fakes/fake-discord-guild.ts";
import { userMessage } from "../fakes/fake-discord-payloads.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { waitUntil } from "../support/wait-until.ts";

const databases = testDatabases();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// Short leases so the test does not wait for production's 10 s; it asserts outcomes, never durations.
const timings = { ttlMs: 1_500, renewMs: 300, retryMs: 200 };

function leasesFor(coordination: CoordinationStore, holder: string): ShardLeases {
  return new ShardLeases({
    coordination,
    holder,
    timings,
    logger: createSilentLogger(),
    gateway: "discord",
  });
}

/** A mention in each guild; resolves once each has its video, and says which channel got which. */
async function mentionEveryGuild(fake: FakeDiscord, bot: Bot, label: string) {
  const before = uploads(fake).length;
  for (const [shard, guild] of fake.shardGuilds.entries()) {
    userMessage(fake, {
      author: bot.alice,
      content: `<@${fake.botUser.id}> ${label} on shard ${shard}`,
      mentionsBot: true,
      guild,
    });
  }
  const expected = before + fake.shardGuilds.length;
  await waitUntil(() => uploads(fake).length >= expected, { message: `${label}: every video` });
  return uploads(fake)
    .slice(before)
    .map((call) => call.path.split("/")[2])
    .sort();
}

const channelsOf = (guilds: GuildIds[]) => guilds.map((guild) => guild.channelId).sort();

it("alone, one instance runs every shard Discord recommends, and answers in each shard's guild", async () => {
  const fake = await FakeDiscord.start({ shardCount: 2, maxConcurrency: 2 });
  const bot = await startBot({ fake });
  cleanups.push(() => bot.stop());
  expect(fake.connectedShards()).toEqual([0, 1]);
  expect(await mentionEveryGuild(fake, bot, "alone")).toEqual(channelsOf(fake.shardGuilds));
  expect(bot.provider.submits).toHaveLength(2);
});

it("two instances on one PostgreSQL share three shards, each connected once; when one stops the other takes its shards", async () => {
  const url = await databases.create();
  const coordination = await openPostgresCoordination({ url, poolSize: 4 });
  const fake = await FakeDiscord.start({ shardCount: 3, maxConcurrency: 3 });
  cleanups.push(
    () => fake.close(),
    () => coordination.close(),
  );
  const firstLeases = leasesFor(coordination, "first");
  const secondLeases = leasesFor(coordination, "second");
  const first = await startBot({ fake, shardLeases: firstLeases });
  const second = await startBot({ fake, shardLeases: secondLeases });
  let firstStopped = false;
  cleanups.push(
    () => second.stop(false),
    async () => {
      if (!firstStopped) await first.stop(false);
    },
  );
  await waitUntil(
    () =>
      fake.connectedShards().join() === "0,1,2" &&
      firstLeases.heldShards().length === 2 &&
      secondLeases.heldShards().length === 1,
    { message: "the shards shared out, each connected once" },
  );
  const held = [...firstLeases.heldShards(), ...secondLeases.heldShards()].sort();
  expect(held).toEqual([0, 1, 2]);
  expect(secondLeases.heldLeases()).toEqual([
    expect.stringMatching(new RegExp(`^discord-shard:${secondLeases.heldShards()[0]}#\\d+$`)),
  ]);

  expect(await mentionEveryGuild(fake, first, "shared")).toEqual(channelsOf(fake.shardGuilds));
  // Each mention reached one instance: the one connected to its guild's shard.
  expect(first.provider.submits).toHaveLength(2);
  expect(second.provider.submits).toHaveLength(1);

  await first.stop(false);
  firstStopped = true;
  await waitUntil(
    () => fake.connectedShards().join() === "0,1,2" && secondLeases.heldShards().length === 3,
    { message: "the other instance to take every shard" },
  );
  expect(await mentionEveryGuild(fake, second, "taken over")).toEqual(channelsOf(fake.shardGuilds));
  expect(second.provider.submits).toHaveLength(4);
  expect(first.provider.submits).toHaveLength(2);
});

it("an instance cut off from the database drops its shards before their leases lapse; the other takes them all", async () => {
  const url = await databases.create();
  const [cutOff, healthy] = await Promise.all([
    openPostgresCoordination({ url, poolSize: 2 }),
    openPostgresCoordination({ url, poolSize: 2 }),
  ]);
  const fake = await FakeDiscord.start({ shardCount: 2, maxConcurrency: 2 });
  cleanups.push(
    () => fake.close(),
    () => healthy.close(),
  );
  const firstLeases = leasesFor(cutOff, "first");
  const secondLeases = leasesFor(healthy, "second");
  const first = await startBot({ fake, shardLeases: firstLeases });
  const second = await startBot({ fake, shardLeases: secondLeases });
  cleanups.push(
    () => second.stop(false),
    () => first.stop(false),
  );
  await waitUntil(
    () =>
      fake.connectedShards().join() === "0,1" &&
      firstLeases.heldShards().length === 1 &&
      secondLeases.heldShards().length === 1,
    { message: "one shard each" },
  );
  await cutOff.close();
  await waitUntil(() => firstLeases.heldShards().length === 0, {
    message: "the cut-off instance to give its shard up",
  });
  await waitUntil(
    () => fake.connectedShards().join() === "0,1" && secondLeases.heldShards().length === 2,
    { message: "the healthy instance to take both shards" },
  );
  expect(await mentionEveryGuild(fake, second, "after the cut")).toEqual(
    channelsOf(fake.shardGuilds),
  );
  expect(second.provider.submits).toHaveLength(2);
  expect(first.provider.submits).toHaveLength(0);
});
