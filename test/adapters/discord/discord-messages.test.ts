import { GatewayIntentBits } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createDiscordAdapter } from "../../../adapters/discord/index.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { FakeDiscord } from "../../fakes/fake-discord.ts";
import {
  buttonClick,
  directMessage,
  messageMenu,
  modalSubmit,
  userMessage,
} from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  channelPosts,
  jsonOf,
  message,
  startBot,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

/** A mention whose image link (Discord's CDN links carry their expiry) runs out within the minute. */
async function mentionWithExpiringImage(current: Bot) {
  const { fake, alice } = current;
  const cat = fake.attachment("cat.png", png, "image/png", { expiresAt: Date.now() + 60_000 });
  userMessage(fake, {
    author: alice,
    content: `<@${fake.botUser.id}> the cat yawns`,
    attachments: [cat],
    mentionsBot: true,
  });
  const job = await waitForJob(
    current.store,
    (found) => found.state === "failed" && found.statusMessageId !== undefined,
    "the refused job, with its card",
  );
  return { cat, job };
}

describe("Discord messages that mention the bot", () => {
  it("an image whose link expires before the model could read it: the card says why; Try again refreshes the link with Discord and makes the video", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const { cat, job } = await mentionWithExpiringImage(bot);
    const why =
      "The link to the start image (cat.png) has expired (uploaded files stay reachable for a limited time), so this video cannot be made from it. Nothing was charged. Attach the file again in a new request.";
    expect(job.error).toBe(why);
    expect(bot.provider.submits).toEqual([]);
    const cardId = job.statusMessageId ?? "";
    await waitUntil(() => JSON.stringify(fake.messages.get(cardId)?.embeds ?? []).includes(why));

    const card = fake.messages.get(cardId);
    if (!card) throw new Error("no card");
    buttonClick(fake, `regenerate:${job.id}`, card, { user: alice });
    const retried = await waitForJob(
      bot.store,
      (found) => found.parentJobId === job.id && found.state === "delivered",
      "the retried job",
    );
    const refresh = fake.callsTo("POST", /^\/attachments\/refresh-urls$/);
    expect(refresh.map((call) => call.json)).toEqual([{ attachment_urls: [cat.url] }]);
    const startImage = retried.request.startImage;
    expect(startImage?.url).not.toBe(cat.url);
    expect(startImage?.url.split("?")[0]).toBe(cat.url.split("?")[0]);
    expect(startImage?.expiresAt ?? 0).toBeGreaterThan(Date.now() + 23 * 60 * 60_000);
    expect(bot.provider.submits.map((submit) => submit.request.startImage?.url)).toEqual([
      startImage?.url,
    ]);
  });

  it("a link Discord will not refresh: Try again is refused privately, naming the file and what to do", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const { job } = await mentionWithExpiringImage(bot);
    const card = fake.messages.get(job.statusMessageId ?? "");
    if (!card) throw new Error("no card");
    fake.failNext("POST", /^\/attachments\/refresh-urls$/, 403, {
      message: "Missing Access",
      code: 50001,
    });
    const click = buttonClick(fake, `regenerate:${job.id}`, card, { user: alice });
    const answer = await fake.waitForCall(
      (call) =>
        call.method === "POST" && call.path === `/webhooks/${fake.applicationId}/token-${click.id}`,
    );
    expect(jsonOf(answer)).toMatchObject({ flags: 64, content: job.error });
    expect(bot.provider.submits).toEqual([]);
  });

  it("a mention with two images → image-to-video with the second as end frame, answered in reply to the message", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const first = fake.attachment("a.png", png, "image/png");
    const second = fake.attachment("b.jpg", png, "image/jpeg");
    const asked = userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> morph between them --dur 5`,
      attachments: [first, second],
      mentionsBot: true,
    });

    const [upload] = await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]).toMatchObject({
      model: { id: "bytedance-seedance-2-0-image-to-video" },
      request: {
        prompt: "morph between them",
        duration: 5,
        startImage: { url: first.url },
        endImage: { url: second.url },
      },
    });
    const [card] = channelPosts(fake);
    expect(jsonOf(card ?? upload ?? ({} as never))).toMatchObject({
      message_reference: { message_id: asked.id },
      allowed_mentions: { parse: [] },
    });
    expect(jsonOf(upload ?? ({} as never))).toMatchObject({
      message_reference: { message_id: asked.id },
    });
    expect(String(jsonOf(upload ?? ({} as never)).content)).toContain(`<@${alice.id}>`);
  });

  it("ignores messages that do not mention the bot, and the bot's own", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    userMessage(fake, { author: alice, content: "just chatting --ar 9:16" });
    userMessage(fake, {
      author: fake.botUser,
      content: `<@${fake.botUser.id}> loop`,
      mentionsBot: true,
    });
    const probe = userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a cat`,
      mentionsBot: true,
    });
    await waitForJob(bot.store, (job) => job.origin.messageId === probe.id, "the probe job");
    expect(bot.provider.submits.map((submit) => submit.request.prompt)).toEqual(["a cat"]);
  });

  it("in a DM no mention is needed; the video comes back in the DM", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const asked = directMessage(fake, { author: alice, content: "a koi pond at dusk --dur 4" });
    const [upload] = await waitForUploads(fake, 1);
    expect(upload?.path).toBe(`/channels/${asked.channel_id}/messages`);
    expect(bot.provider.submits[0]?.request).toMatchObject({
      prompt: "a koi pond at dusk",
      duration: 4,
    });
    const job = await waitForJob(bot.store, () => true, "the DM job");
    expect(job.origin).toMatchObject({ channelId: asked.channel_id, messageId: asked.id });
    expect(job.origin.spaceId).toBeUndefined();
  });

  it("a reply without an image uses the images of the message it answers", async () => {
    bot = await startBot();
    const { fake, alice, bob } = bot;
    const photo = fake.attachment("photo.webp", png, "image/webp");
    const original = userMessage(fake, {
      author: bob,
      content: "look at my dog",
      attachments: [photo],
    });
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> make him run`,
      mentionsBot: true,
      replyTo: original,
    });

    await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]).toMatchObject({
      request: {
        mode: "image",
        prompt: "make him run",
        startImage: { url: photo.url, contentType: "image/webp" },
      },
    });
  });

  it("a reply carrying an image to one of the bot's results animates that image with the result's prompt", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a knight rides at dawn --ar 16:9`,
      mentionsBot: true,
    });
    const [result] = await waitForUploads(fake, 1);
    const resultMessage = [...fake.messages.values()].find(
      (candidate) =>
        candidate.attachments[0]?.filename?.endsWith(".mp4") &&
        candidate.author.id === fake.botUser.id,
    );
    if (!resultMessage || !result) throw new Error("no result message");

    const sketch = fake.attachment("sketch.png", png, "image/png");
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}>`,
      attachments: [sketch],
      mentionsBot: true,
      replyTo: resultMessage,
    });
    await waitForUploads(fake, 2);
    expect(bot.provider.submits[1]).toMatchObject({
      request: { mode: "image", prompt: "a knight rides at dawn", startImage: { url: sketch.url } },
    });
  });

  it("refuses a bad flag in a reply that names the flag and the valid ones, without a job", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    const asked = userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a fox --dur 99`,
      mentionsBot: true,
    });
    const answer = await fake.waitForCall(
      (call) => call.method === "POST" && call.path === `/channels/${fake.channelId}/messages`,
    );
    expect(jsonOf(answer)).toMatchObject({
      content: "--dur 99 is not valid; use 4–15 seconds or auto.",
      message_reference: { message_id: asked.id },
      allowed_mentions: { parse: [], replied_user: false },
    });
    expect(bot.provider.submits).toEqual([]);
  });

  it("context menu Animate → a prompt form → image-to-video from the message's images", async () => {
    bot = await startBot();
    const { fake, alice, bob } = bot;
    const start = fake.attachment("start.png", png, "image/png");
    const end = fake.attachment("end.png", png, "image/png");
    const target = userMessage(fake, {
      author: bob,
      content: "two frames",
      attachments: [start, end],
    });

    const menu = messageMenu(fake, "Animate", target, { user: alice });
    const form = jsonOf(await callbackOf(fake, menu.id));
    expect(form).toMatchObject({
      type: 9,
      data: { custom_id: `animate:${menu.id}`, title: "Turn this message's image into a video" },
    });

    const submitted = modalSubmit(
      fake,
      `animate:${menu.id}`,
      { prompt: "petals fall --dur 6 --fast" },
      { user: alice },
    );
    expect(jsonOf(await callbackOf(fake, submitted.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]).toMatchObject({
      model: { id: "bytedance-seedance-2-0-fast-image-to-video" },
      request: {
        prompt: "petals fall",
        duration: 6,
        startImage: { url: start.url },
        endImage: { url: end.url },
      },
    });
    expect(
      message(fake, fake.interactions.get(`token-${submitted.id}`)?.originalMessageId ?? "")
        .embeds[0]?.title,
    ).toBeDefined();
  });

  it("context menu Animate on a message without an image answers privately, with no form", async () => {
    bot = await startBot();
    const { fake, alice, bob } = bot;
    const target = userMessage(fake, { author: bob, content: "no pictures here" });
    const menu = messageMenu(fake, "Animate", target, { user: alice });
    expect(jsonOf(await callbackOf(fake, menu.id))).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/no image to animate/) },
    });
  });
});

describe("gateway intents", () => {
  it.each([
    [false, 0],
    [true, GatewayIntentBits.MessageContent],
  ])(
    "messageContent %s asks for the MessageContent intent only when enabled",
    async (enabled, contentBit) => {
      const fake = await FakeDiscord.start();
      const adapter = createDiscordAdapter({
        token: "test-token",
        apiUrl: fake.apiUrl,
        messageContent: enabled,
        service: { registerAdapter: () => {} } as never,
        logger: createSilentLogger(),
      });
      try {
        await adapter.start();
        const intents = fake.identifyPayloads[0]?.intents ?? 0;
        const base =
          GatewayIntentBits.Guilds |
          GatewayIntentBits.GuildMessages |
          GatewayIntentBits.GuildMessageReactions |
          GatewayIntentBits.DirectMessages |
          GatewayIntentBits.DirectMessageReactions;
        expect(intents).toBe(base | contentBit);
        expect(fake.identifyPayloads[0]?.token).toBe("test-token");
      } finally {
        await adapter.stop();
        await fake.close();
      }
    },
  );
});
