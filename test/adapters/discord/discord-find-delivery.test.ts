import { readFile } from "node:fs/promises";
import type { APIMessage } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { slashCommand, userMessage } from "../../fakes/fake-discord-payloads.ts";
import { type Bot, sampleVideo, startBot, uploads, waitForJob } from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const channelMessages = /^\/channels\/\d+\/messages$/;
const lostAnswer = { message: "upstream trouble", code: 0 };

/** What the user sees of a job's result: the bot's messages carrying its video and buttons. */
function resultsOf(fake: FakeDiscord, jobId: string): APIMessage[] {
  return [...fake.messages.values()].filter(
    (message) =>
      message.author.id === fake.botUser.id &&
      message.attachments.length > 0 &&
      JSON.stringify(message.components).includes(`regenerate:${jobId}`),
  );
}

describe("Discord: a delivery resumed after a lost answer or a restart is looked for first", () => {
  it("Discord took the upload but its answer was lost: the retry finds the post and does not upload again", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    // A slash command's card is the interaction's response, so the first channel post is the video.
    fake.failNext("POST", channelMessages, 503, lostAnswer, { afterApplying: true });
    slashCommand(fake, "video", { prompt: "a lost answer" }, { user: alice, inThread: true });
    const job = await waitForJob(bot.store, (found) => found.state === "delivered", "delivery");

    expect(uploads(fake).map((call) => call.status)).toEqual([503]);
    expect(resultsOf(fake, job.id)).toHaveLength(1);
    expect(resultsOf(fake, job.id)[0]?.channel_id).toBe(fake.threadId);
    expect(job.attempts).toBe(1);
    const lookups = fake.callsTo("GET", channelMessages);
    expect(lookups.map((call) => call.path)).toEqual([`/channels/${fake.threadId}/messages`]);
    expect(lookups[0]?.query.get("after")).toBe(job.statusMessageId);
  });

  it("the upload did not land: the retry looks, finds nothing and posts the video once", async () => {
    bot = await startBot();
    const { fake, alice } = bot;
    fake.failNext("POST", channelMessages, 503, lostAnswer);
    slashCommand(fake, "video", { prompt: "a refused upload" }, { user: alice });
    const job = await waitForJob(bot.store, (found) => found.state === "delivered", "delivery");

    expect(uploads(fake).map((call) => call.status)).toEqual([503, 200]);
    // The file is streamed from disk: the retry reads it again and sends every byte.
    const video = await readFile(sampleVideo);
    expect(uploads(fake).every((call) => call.files[0]?.bytes.equals(video))).toBe(true);
    expect(fake.callsTo("GET", channelMessages)).toHaveLength(1);
    expect(resultsOf(fake, job.id)).toHaveLength(1);
  });

  it("restarted mid-delivery after Discord took the video: the new process finds it and posts nothing", async () => {
    const settings = { deliveryBackoffMs: { initialMs: 60_000, maxMs: 60_000 } };
    bot = await startBot({ delayMs: 200, settings });
    const { fake, store, alice } = bot;
    const asked = userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a paper boat at dusk`,
      mentionsBot: true,
    });
    // The card is the first channel post; the video is the next one.
    await fake.waitForCall((call) => call.method === "POST" && channelMessages.test(call.path));
    fake.failNext("POST", channelMessages, 503, lostAnswer, { afterApplying: true });
    const stalled = await waitForJob(store, (found) => found.attempts === 1, "a lost upload");
    expect(stalled.state).toBe("delivering");
    await bot.stop(false);

    bot = await startBot({ fake, store });
    const job = await waitForJob(store, (found) => found.state === "delivered", "delivery");
    expect(uploads(fake).map((call) => call.status)).toEqual([503]);
    expect(resultsOf(fake, job.id)).toHaveLength(1);
    const lookups = fake.callsTo("GET", channelMessages);
    expect(lookups.map((call) => call.query.get("after"))).toEqual([asked.id]);
  });
});
