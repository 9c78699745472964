import { afterEach, describe, expect, it } from "vitest";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import type { FakeMessage, FakeSlack } from "../../fakes/fake-slack.ts";
import { eventEnvelope, mentionEvent, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
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

  it("killed after posting a card but before storing its id: after restart that card is edited, no second one", async () => {
    // A store that loses the card id's write, as a kill between chat.postMessage and the write would.
    const inner = createMemoryJobStore();
    let losingCardIds = true;
    const store: JobStore = {
      ...inner,
      update: async (id, patch, version) =>
        losingCardIds && patch.statusMessageId
          ? await inner.get(id)
          : inner.update(id, patch, version),
    };
    bot = await startSlackBot({ store, delayMs: 60_000 });
    const { fake, alice } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", "a card that lost its id"));
    await waitUntil(() => fake.callsTo("chat.postMessage").length === 1, { message: "the card" });
    const cardTs = fake.messages.find((message) => message.user === fake.botUserId)?.ts;
    const [pending] = await store.listByStates(["waiting", "submitting", "queued", "running"]);
    if (!pending) throw new Error("no pending job");
    expect(pending.statusMessageId).toBeUndefined();

    bot = await bot.restart(async () => {
      losingCardIds = false;
    });
    const found = await waitForJob(
      store,
      (job) => job.statusMessageId !== undefined,
      "the card id",
    );
    expect(found.statusMessageId).toBe(cardTs);
    const cards = fake.messages.filter(
      (message) =>
        message.user === fake.botUserId &&
        message.blocks?.some((block) => block.block_id === "job_status"),
    );
    expect(cards.map((card) => card.ts)).toEqual([cardTs]);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.callsTo("chat.update").some((call) => call.fields.ts === cardTs)).toBe(true);
  });
});
