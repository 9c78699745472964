import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { createSimulatorProvider } from "../../../src/providers/simulator/index.ts";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { type OptionValue, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import {
  type Bot,
  callbackOf,
  channelPosts,
  jsonOf,
  sampleVideo,
  startBot,
  waitForJob,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const budget = { dailySecondsPerUser: 60, dailySecondsPerSpace: 100 };
const resets = /\nResets: 00:00 UTC, in (\d+ h )?\d+ min$/;
// What the fake sends for members, plus Manage Server.
const managerPermissions = String(2248473465835073n | PermissionFlagsBits.ManageGuild);

/** The simulator, charging `cost` per video. */
function priced(cost: number): GenerationProvider {
  const logger = createSilentLogger();
  const simulator = createSimulatorProvider({
    ffmpegPath: null,
    delayMs: 40,
    videoPath: sampleVideo,
    logger,
  });
  return {
    ...simulator,
    name: simulator.name,
    catalog: simulator.catalog,
    fetchCost: async () => cost,
  };
}

/** Dispatches as a server manager: the member holds Manage Server. */
function asServerManager<T>(fake: FakeDiscord, act: () => T): T {
  const dispatch = fake.dispatch.bind(fake);
  fake.dispatch = (event, data) => {
    const payload = data as { member?: Record<string, unknown> };
    const member = payload.member && { ...payload.member, permissions: managerPermissions };
    dispatch(event, member ? { ...payload, member } : payload);
  };
  try {
    return act();
  } finally {
    fake.dispatch = dispatch;
  }
}

async function videoFor(active: Bot, user: Bot["alice"], prompt: string): Promise<void> {
  const { id } = slashCommand(active.fake, "video", { prompt }, { user });
  await waitForJob(
    active.store,
    (job) => job.origin.interactionId === id && job.state === "delivered",
    `"${prompt}" delivered`,
  );
}

/** Runs /usage and returns the private answer the deferred reply became. */
async function usage(
  active: Bot,
  user: Bot["alice"],
  options: Record<string, OptionValue> = {},
  manager = false,
): Promise<{ deferral: Record<string, unknown>; text: string }> {
  const send = () => slashCommand(active.fake, "usage", options, { user });
  const { id } = manager ? asServerManager(active.fake, send) : send();
  const answer = await active.fake.waitForCall(
    (call) => call.method === "PATCH" && call.path.includes(`token-${id}`),
  );
  return {
    deferral: jsonOf(await callbackOf(active.fake, id)),
    text: String(jsonOf(answer).content),
  };
}

describe("Discord /usage (real service, simulator, budgets)", () => {
  it("shows your seconds against the daily budget, videos, spend and reset, only to you", async () => {
    bot = await startBot({ policy: budget, provider: priced(1.25) });
    const { alice, bob } = bot;
    await videoFor(bot, alice, "a fox --dur 5");
    await videoFor(bot, alice, "a hare --dur 4");
    await videoFor(bot, bob, "an owl --dur 6");
    const posted = channelPosts(bot.fake).length;

    const mine = await usage(bot, alice);
    expect(mine.deferral).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(mine.text).toMatch(resets);
    expect(mine.text.replace(resets, "")).toBe(
      [
        "**📊 Your usage today**",
        "Seconds of video: 9 s of 60 s (15%), 51 s left",
        "Videos: 2",
        "Spent: $2.50",
      ].join("\n"),
    );
    expect((await usage(bot, bob, { scope: "me" })).text).toContain(
      "Seconds of video: 6 s of 60 s (10%), 54 s left\nVideos: 1\nSpent: $1.25",
    );
    expect(channelPosts(bot.fake)).toHaveLength(posted);
  });

  it("scope server: the whole server's usage for server managers, a clear refusal for others", async () => {
    bot = await startBot({ policy: budget });
    const { alice, bob } = bot;
    await videoFor(bot, alice, "a fox --dur 5");
    await videoFor(bot, bob, "an owl --dur 6");

    const refused = await usage(bot, bob, { scope: "server" });
    expect(refused.deferral).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(refused.text).toBe(
      "Only members with the Manage Server permission can see the whole server's usage; /usage shows your own.",
    );

    const server = await usage(bot, alice, { scope: "server" }, true);
    expect(server.deferral).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(server.text.replace(resets, "")).toBe(
      [
        "**📊 This server's usage today**",
        "Seconds of video: 11 s of 100 s (11%), 89 s left",
        "Videos: 2",
        "Spent: free",
      ].join("\n"),
    );
  });

  it("without budgets: no limit, and the simulator's videos are free", async () => {
    bot = await startBot();
    await videoFor(bot, bot.alice, "a fox --dur 5");
    expect((await usage(bot, bot.alice)).text.replace(resets, "")).toBe(
      [
        "**📊 Your usage today**",
        "Seconds of video: 5 s (no daily limit)",
        "Videos: 1",
        "Spent: free",
      ].join("\n"),
    );
  });
});
