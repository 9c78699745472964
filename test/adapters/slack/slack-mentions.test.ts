import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeFile } from "../../fakes/fake-slack.ts";
import { eventEnvelope, mentionEvent } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { pngFixture, type SlackBot, startSlackBot } from "./slack-harness.ts";
import {
  cardOf,
  completedUploads,
  privateNotes,
  waitForJob,
  waitForUploads,
} from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A user posts a message mentioning the bot; Slack sends the app_mention event. */
async function mention(
  current: SlackBot,
  text: string,
  options: { files?: FakeFile[]; threadTs?: string } = {},
) {
  const { fake, alice } = current;
  const message = fake.userMessage(alice, `<@${fake.botUserId}> ${text}`, options);
  const envelope = eventEnvelope(fake, mentionEvent(fake, message));
  const answer = await fake.send("event", envelope);
  return { message, envelope, answer };
}

describe("Slack mentions (routed by the shared router, answered in the thread)", () => {
  it("a mention with two images: start and end frame, card and video in a thread started under it", async () => {
    bot = await startSlackBot();
    const { fake } = bot;
    const png = await readFile(pngFixture);
    const files = [
      fake.file("first.png", png, "image/png"),
      fake.file("last.png", png, "image/png"),
    ];
    const { message, answer } = await mention(bot, "morph between them --dur 5", { files });
    expect(answer.status).toBe(200);

    const [upload] = await waitForUploads(fake, 1);
    const request = bot.provider.submits[0]?.request;
    expect(request).toMatchObject({ mode: "image", prompt: "morph between them", duration: 5 });
    expect([request?.startImage?.fileName, request?.endImage?.fileName]).toEqual([
      "first.png",
      "last.png",
    ]);
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    expect(job.origin).toMatchObject({
      channelId: fake.channelId,
      threadId: message.ts,
      messageId: message.ts,
    });
    expect(cardOf(fake, job.id)?.thread_ts).toBe(message.ts);
    expect(upload).toMatchObject({ channel: fake.channelId, threadTs: message.ts });
  });

  it("a mention in a thread whose parent has an image animates the parent's image", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const parent = fake.userMessage(alice, "look at this", {
      files: [fake.file("parent.png", await readFile(pngFixture), "image/png")],
    });
    await mention(bot, "make it rain", { threadTs: parent.ts });
    const [upload] = await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]?.request).toMatchObject({
      mode: "image",
      prompt: "make it rain",
    });
    expect(bot.provider.submits[0]?.request.startImage?.fileName).toBe("parent.png");
    expect(upload?.threadTs).toBe(parent.ts);
  });

  it("an image posted under one of the bot's results, with only a mention, animates it with the result's prompt", async () => {
    bot = await startSlackBot();
    const { fake } = bot;
    const { message } = await mention(bot, "a paper boat on a pond");
    await waitForUploads(fake, 1);
    const image = fake.file("boat.png", await readFile(pngFixture), "image/png");
    await mention(bot, "", { files: [image], threadTs: message.ts });
    const uploads = await waitForUploads(fake, 2);
    expect(bot.provider.submits[1]?.request).toMatchObject({
      mode: "image",
      prompt: "a paper boat on a pond",
    });
    expect(bot.provider.submits[1]?.request.startImage?.fileName).toBe("boat.png");
    expect(uploads[1]?.threadTs).toBe(message.ts);
  });

  it("a retried event (same event_id, X-Slack-Retry-Num) never makes a second job, even after a restart", async () => {
    // Answers wait for the listener here, so "answered" means "handled".
    bot = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = bot;
    const message = fake.userMessage(alice, `<@${fake.botUserId}> one lantern in the dark`);
    const envelope = eventEnvelope(fake, mentionEvent(fake, message));
    // Slack retries while the first delivery is still being handled…
    const answers = await Promise.all([
      fake.send("event", envelope),
      fake.send("event", envelope, { retryNum: 1 }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(bot.provider.submits).toHaveLength(1);
    await waitForUploads(fake, 1);
    // …and again after the bot restarted and forgot everything it held in memory.
    bot = await bot.restart();
    expect((await bot.fake.send("event", envelope, { retryNum: 2 })).status).toBe(200);
    expect(await bot.store.listByUser("slack", alice.id, 10)).toHaveLength(1);
    expect(bot.provider.submits).toHaveLength(0);
    expect(completedUploads(fake)).toHaveLength(1);
  });

  it("a bad flag in a mention is answered privately in the thread", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const { message } = await mention(bot, "a storm --ar 5:4");
    await waitUntil(() => privateNotes(fake).length === 1, { message: "the private answer" });
    expect(privateNotes(fake)[0]).toContain("--ar 5:4 is not valid");
    const note = fake.callsTo("chat.postEphemeral")[0];
    expect(note?.fields).toMatchObject({ user: alice.id, thread_ts: message.ts });
    expect(await bot.store.listByUser("slack", alice.id, 10)).toEqual([]);
  });
});
