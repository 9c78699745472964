import { afterEach, describe, expect, it } from "vitest";
import type { FakeMessage, FakeSlack } from "../../fakes/fake-slack.ts";
import { eventEnvelope, mentionEvent, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, completedUploads, waitForJob } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** What the user sees of a job's result in a thread: the bot's video shares and link messages. */
function resultsIn(fake: FakeSlack, threadTs: string | undefined, jobId: string): FakeMessage[] {
  return fake.messages.filter(
    (message) =>
      message.thread_ts === threadTs &&
      message.user === fake.botUserId &&
      ((message.files?.length ?? 0) > 0 || JSON.stringify(message.blocks ?? []).includes("⬇️")) &&
      `${message.text}${JSON.stringify(message.blocks ?? [])}`.includes(`Job \`${jobId}\``),
  );
}

describe("Slack: a delivery resumed after a lost answer or a restart is looked for first", () => {
  it("Slack shared the file but its answer was lost: the retry finds it in the thread and uploads nothing", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    fake.failNext("files.completeUploadExternal", "fatal_error", { afterApplying: true });
    const asked = fake.userMessage(alice, `<@${fake.botUserId}> a lantern on the water`);
    await fake.send("event", eventEnvelope(fake, mentionEvent(fake, asked)));
    const job = await waitForJob(bot.store, (found) => found.state === "delivered", "delivery");

    expect(completedUploads(fake)).toHaveLength(1);
    expect(fake.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    expect(resultsIn(fake, asked.ts, job.id)).toHaveLength(1);
    expect(job.attempts).toBe(1);
    const lookups = fake
      .callsTo("conversations.replies")
      .filter((call) => call.fields.ts === asked.ts);
    expect(lookups.length).toBeGreaterThan(0);
  });

  it("the link message was posted but its answer was lost: it is not posted twice", async () => {
    bot = await startSlackBot({
      delayMs: 200,
      videoLink: (job) => `https://bot.example.com/videos/${job.id}`,
    });
    const { fake, alice } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", "a foggy pier"));
    const pending = await waitForJob(bot.store, (found) => !!found.statusMessageId, "the card");
    fake.failNext("files.getUploadURLExternal", "file_uploads_disabled");
    fake.failNext("chat.postMessage", "internal_error", { afterApplying: true });
    const job = await waitForJob(bot.store, (found) => found.state === "delivered", "delivery");

    expect(job.id).toBe(pending.id);
    expect(resultsIn(fake, job.statusMessageId, job.id)).toHaveLength(1);
    expect(completedUploads(fake)).toHaveLength(0);
  });

  it("the upload did not land: the retry looks, finds only the card and shares the video once", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    fake.failNext("files.completeUploadExternal", "fatal_error");
    await fake.send("command", slashCommand(fake, alice, "/video", "a refused share"));
    const job = await waitForJob(bot.store, (found) => found.state === "delivered", "delivery");

    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(2);
    expect(resultsIn(fake, job.statusMessageId, job.id)).toHaveLength(1);
    expect(fake.callsTo("conversations.replies").length).toBeGreaterThan(0);
  });

  it("restarted mid-delivery after Slack shared the file: the new process finds it and shares nothing", async () => {
    const settings = { deliveryBackoffMs: { initialMs: 60_000, maxMs: 60_000 } };
    bot = await startSlackBot({ settings });
    const { fake, alice, store } = bot;
    fake.failNext("files.completeUploadExternal", "fatal_error", { afterApplying: true });
    await fake.send("command", slashCommand(fake, alice, "/video", "a night ferry"));
    const stalled = await waitForJob(store, (found) => found.attempts === 1, "a lost share");
    expect(stalled.state).toBe("delivering");

    bot = await bot.restart();
    const job = await waitForJob(store, (found) => found.state === "delivered", "delivery");
    expect(completedUploads(fake)).toHaveLength(1);
    const card = cardOf(fake, job.id);
    expect(resultsIn(fake, card?.ts, job.id)).toHaveLength(1);
  });
});
