import { GuildPremiumTier } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../../fakes/fake-discord.ts";
import { slashCommand, userMessage } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  channelPosts,
  jsonOf,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Discord delivery and status cards", () => {
  it("the upload limit is the interaction's, else the server's boost tier, else 10 MiB", async () => {
    const fake = await FakeDiscord.start({ premiumTier: GuildPremiumTier.Tier2 });
    bot = await startBot({ fake });
    const origin = { platform: "discord", channelId: fake.channelId, userId: bot.alice.id };
    expect(bot.adapter.uploadLimitBytes({ ...origin, spaceId: fake.guildId })).toBe(
      50 * 1024 * 1024,
    );
    expect(bot.adapter.uploadLimitBytes(origin)).toBe(10 * 1024 * 1024);
    const { id } = slashCommand(
      fake,
      "video",
      { prompt: "x" },
      { user: bot.alice, attachmentSizeLimit: 25_000_000 },
    );
    await callbackOf(fake, id);
    const job = await waitForJob(bot.store, () => true, "the job");
    expect(bot.adapter.uploadLimitBytes(job.origin)).toBe(25_000_000);
  });

  it("a video over the interaction's upload limit is posted as a link with a note, never uploaded", async () => {
    bot = await startBot({
      videoLink: (job) => `https://bot.example/videos/${job.id}.mp4?sig=abc`,
    });
    const { fake, alice } = bot;
    slashCommand(
      fake,
      "video",
      { prompt: "a huge waterfall" },
      { user: alice, attachmentSizeLimit: 10_000 },
    );
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivery",
    );

    expect(uploads(fake)).toEqual([]);
    const posts = channelPosts(fake);
    // Only the poster frame goes with the link, never the video.
    expect(posts.flatMap((post) => post.files.map((file) => file.contentType))).toEqual([
      "image/jpeg",
    ]);
    const linkPost = posts.find((post) =>
      String(jsonOf(post).content).includes("https://bot.example/"),
    );
    expect(String(jsonOf(linkPost ?? ({} as never)).content)).toMatch(
      new RegExp(
        `^<@${alice.id}> your video is ready \\(simulated: no real model was used\\): \\*a huge waterfall\\*\\nhttps://bot\\.example/videos/${job.id}\\.mp4\\?sig=abc\\n-# It is 13 KB, over the 10 KB upload limit here, and at 1 s a copy that fits would get about 0 kb/s, below the 300 kb/s`,
      ),
    );
  });

  it("when Discord says 413 anyway, the link is posted instead of failing", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    fake.failNext("POST", /^\/channels\/\d+\/messages$/, 413, {
      message: "Request entity too large",
      code: 40005,
    });
    // The first channel post of a mention is the status card, so fail after it: use a slash command.
    slashCommand(fake, "video", { prompt: "a giant wave" }, { user: alice });
    await waitForJob(bot.store, (job) => job.state === "delivered", "delivery");
    const posts = channelPosts(fake);
    expect(posts.map((post) => post.status)).toEqual([413, 200]);
    expect(String(jsonOf(posts[1] ?? ({} as never)).content)).toMatch(
      /simulator:\/\/.+\n-# It is .* upload limit/,
    );
  });

  it("a Discord failure on one upload is retried and the video arrives exactly once", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    fake.failNext("POST", /^\/channels\/\d+\/messages$/, 503, {
      message: "upstream trouble",
      code: 0,
    });
    slashCommand(fake, "video", { prompt: "a calm lake" }, { user: alice });
    await waitForJob(bot.store, (job) => job.state === "delivered", "delivery");
    expect(uploads(fake).map((call) => call.status)).toEqual([503, 200]);
  });

  it("after 14 minutes the card is edited as a channel message with the bot token, not the dead interaction token", async () => {
    bot = await startBot({ delayMs: 300 });
    const { fake, alice } = bot;
    const { id, token } = slashCommand(
      fake,
      "video",
      { prompt: "a time-lapse of a city" },
      { user: alice },
    );
    await fake.waitForCall((call) => call.method === "PATCH" && call.path.includes(token));
    const record = fake.interactions.get(token);
    if (!record) throw new Error("no interaction");
    record.expired = true;
    bot.clock.offsetMs = 15 * 60_000;

    await waitForUploads(fake, 1);
    const cardId = record.originalMessageId ?? "";
    await waitUntil(() => cardTitle(fake, cardId) === "✅ Done", { message: "the final card" });
    const channelEdits = fake.callsTo(
      "PATCH",
      new RegExp(`^/channels/${fake.channelId}/messages/${cardId}$`),
    );
    expect(channelEdits.length).toBeGreaterThan(0);
    expect(channelEdits.every((call) => call.authorization === "Bot test-token")).toBe(true);
    expect(fake.calls.filter((call) => call.path.includes(token) && call.status === 401)).toEqual(
      [],
    );
    expect(jsonOf(await callbackOf(fake, id))).toMatchObject({ type: 5 });
  });

  it("a face rejection shows the provider's reason and the has_face hint on the card", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const asked = userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a portrait [fail:face]`,
      mentionsBot: true,
    });
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "failed",
      "the failure",
    );
    await waitUntil(() => {
      const card = [...fake.messages.values()].find((message) =>
        message.embeds[0]?.footer?.text?.startsWith(`Job ${job.id}`),
      );
      return card ? card.embeds[0]?.title === "⚠️ Failed" : false;
    });
    const card = [...fake.messages.values()].find((message) =>
      message.embeds[0]?.footer?.text?.startsWith(`Job ${job.id}`),
    );
    const why = card?.embeds[0]?.fields?.find((field) => field.name === "Why")?.value;
    expect(why).toMatch(/human face.*set has_face \(or add --face\)/);
    expect(card?.message_reference?.message_id).toBe(asked.id);
    expect(JSON.stringify(card?.components)).toContain(`regenerate:${job.id}`);
    expect(uploads(fake)).toEqual([]);
  });
});
