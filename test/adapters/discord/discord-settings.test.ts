import { PermissionFlagsBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { type OptionValue, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import {
  type Bot,
  callbackOf,
  ephemeralTexts,
  jsonOf,
  startBot,
  waitForJob,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

// What the fake sends for members, plus Manage Server.
const managerPermissions = String(2248473465835073n | PermissionFlagsBits.ManageGuild);

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

/** Runs /settings and returns the private answer its deferred reply became. */
async function settings(
  active: Bot,
  user: Bot["alice"],
  options: Record<string, OptionValue> = {},
  manager = false,
): Promise<string> {
  const send = () => slashCommand(active.fake, "settings", options, { user });
  const { id } = manager ? asServerManager(active.fake, send) : send();
  const answer = await active.fake.waitForCall(
    (call) => call.method === "PATCH" && call.path.includes(`token-${id}`),
  );
  expect(jsonOf(await callbackOf(active.fake, id))).toMatchObject({ type: 5, data: { flags: 64 } });
  return String(jsonOf(answer).content);
}

/** Sends /video and returns the private refusal the user sees. */
async function refusedVideo(active: Bot, user: Bot["alice"], prompt: string): Promise<string> {
  const { id } = slashCommand(active.fake, "video", { prompt }, { user });
  const call = await active.fake.waitForCall(
    (candidate) => candidate.path.includes(`token-${id}`) && ephemeralTexts([candidate]).length > 0,
    { description: `the refusal of "${prompt}"` },
  );
  return ephemeralTexts([call])[0] ?? "";
}

async function deliveredVideo(active: Bot, user: Bot["alice"], prompt: string) {
  const { id } = slashCommand(active.fake, "video", { prompt }, { user });
  return await waitForJob(
    active.store,
    (job) => job.origin.interactionId === id && job.state === "delivered",
    `"${prompt}" delivered`,
  );
}

describe("Discord /settings (real service, simulator)", () => {
  it("a server manager sets a cap; a request over it is refused, one under it gets the default", async () => {
    bot = await startBot();
    const { alice, bob } = bot;
    const saved = await settings(
      bot,
      alice,
      { max_duration: 6, default_duration: 5, default_aspect: "9:16" },
      true,
    );
    expect(saved).toMatch(/^Saved\.\n\*\*⚙️ This server's video settings\*\*\n/);
    expect(saved).toContain("Max duration: 6 s, at most 15 s");

    expect(await refusedVideo(bot, bob, "a fox --dur 10")).toBe(
      "duration 10 s is above this server's cap of 6 s; choose 4–6 s.",
    );
    expect(bot.provider.submits).toHaveLength(0);

    const job = await deliveredVideo(bot, bob, "an owl");
    expect(job.request).toMatchObject({ duration: 5, aspectRatio: "9:16" });

    // Anyone may look: the values in force and who changed what.
    const shown = await settings(bot, bob);
    expect(shown).toContain("Default duration: 5 s");
    expect(shown).toContain(
      `<@${alice.id}>: default_duration — → 5; default_aspect — → 9:16; max_duration — → 6`,
    );
  });

  it("a server's default audio fills requests that say nothing of sound; its takes cap refuses more, naming the range", async () => {
    bot = await startBot();
    const { alice, bob } = bot;
    const saved = await settings(bot, alice, { default_audio: "off", max_takes: 2 }, true);
    expect(saved).toContain("Default audio: off");
    expect(saved).toContain("Max takes: 2, at most 4");

    expect(await refusedVideo(bot, bob, "a fox --takes 3")).toBe(
      "takes 3 is out of range; choose a whole number from 1 to 2.",
    );
    expect(bot.provider.submits).toHaveLength(0);
    const silent = await deliveredVideo(bot, bob, "an owl");
    expect(silent.request.generateAudio).toBe(false);
    const loud = await deliveredVideo(bot, bob, "a wolf --audio");
    expect(loud.request.generateAudio).toBe(true);
  });

  it("a member without Manage Server cannot change settings; a cap above the bot's is refused", async () => {
    bot = await startBot();
    const { alice, bob } = bot;
    expect(await settings(bot, bob, { max_duration: 5 })).toBe(
      "Only members with the Manage Server permission can change this server's settings; /settings shows them.",
    );
    const space = { platform: "discord", spaceId: bot.fake.guildId };
    expect((await bot.service.spaceSettings(space)).version).toBe(0);

    expect(await settings(bot, alice, { user_daily_seconds: 500 }, true)).toMatch(/^Saved\./);
    await bot.stop();
    // The operator lowers the ceiling: a space cannot go above it.
    bot = await startBot({ policy: { dailySecondsPerUser: 100 } });
    expect(await settings(bot, bot.alice, { user_daily_seconds: 500 }, true)).toBe(
      "user_daily_seconds 500 is out of range; choose 1–100 s a day.",
    );
  });

  it("the server's daily budget holds across members, and only listed channels take requests", async () => {
    bot = await startBot();
    const { alice, bob, fake } = bot;
    await settings(bot, alice, { server_daily_seconds: 10 }, true);
    // Two members at once, 6 s each, against 10 s: exactly one is admitted.
    const asked = [
      slashCommand(fake, "video", { prompt: "a fox --dur 6" }, { user: alice }),
      slashCommand(fake, "video", { prompt: "an owl --dur 6" }, { user: bob }),
    ];
    const refusal = await fake.waitForCall(
      (call) =>
        asked.some(({ id }) => call.path.includes(`token-${id}`)) &&
        ephemeralTexts([call]).length > 0,
      { description: "one refusal" },
    );
    expect(ephemeralTexts([refusal])[0]).toMatch(
      /^This video needs 6 s, but this server's daily budget of 10 s has 4 s left \(resets at 00:00 UTC/,
    );
    await waitForJob(bot.store, (job) => job.state === "delivered", "the admitted video delivered");
    const jobs = await bot.store.listCreatedSince(
      { platform: "discord", spaceId: fake.guildId },
      0,
    );
    expect(jobs).toHaveLength(1);
    await deliveredVideo(bot, bob, "a hare --dur 4");

    const elsewhere = "123456789012345678";
    await settings(
      bot,
      alice,
      { channels: `<#${elsewhere}>`, reset: "server_daily_seconds" },
      true,
    );
    expect(await refusedVideo(bot, bob, "a heron --dur 4")).toBe(
      `Videos can be made only in <#${elsewhere}> on this server; this channel is not one of them.`,
    );
    await settings(bot, alice, { channels: `<#${elsewhere}> ${fake.channelId}` }, true);
    await deliveredVideo(bot, bob, "a heron --dur 4");
  });
});
