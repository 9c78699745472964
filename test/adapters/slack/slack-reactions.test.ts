import { afterEach, describe, expect, it } from "vitest";
import type { FakeMessage } from "../../fakes/fake-slack.ts";
import {
  buttonClick,
  eventEnvelope,
  formValues,
  reactionEvent,
  slashCommand,
  stateValue,
  viewSubmission,
} from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, cardTitle, privateNotes, waitForJob, waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** `/video <text>` by Alice; resolves with the job once it exists. */
async function videoBy(current: SlackBot, text: string) {
  const { fake, alice } = current;
  await fake.send("command", slashCommand(fake, alice, "/video", text));
  const prompt = text.replace(/ --.*$/, "");
  return await waitForJob(current.store, (job) => job.request.prompt === prompt, prompt);
}

function resultMessage(current: SlackBot, jobId: string): FakeMessage {
  const found = current.fake.messages.find(
    (message) => message.files && message.text.includes(`Job \`${jobId}\``),
  );
  if (!found) throw new Error(`no result for ${jobId}`);
  return found;
}

function card(current: SlackBot, jobId: string): FakeMessage {
  const found = cardOf(current.fake, jobId);
  if (!found) throw new Error(`no card for ${jobId}`);
  return found;
}

describe("Slack reactions and buttons (looked up through the store, so they survive restarts)", () => {
  it(":repeat: on a result regenerates for the reacting user, with a new seed, in the same thread", async () => {
    bot = await startSlackBot();
    const { fake, bob } = bot;
    const first = await videoBy(bot, "fireflies over a meadow --seed 3");
    await waitForUploads(fake, 1);
    const result = resultMessage(bot, first.id);
    await fake.send("event", eventEnvelope(fake, reactionEvent(bob, "repeat", result)));

    const uploads = await waitForUploads(fake, 2);
    const second = await waitForJob(
      bot.store,
      (job) => job.parentJobId === first.id,
      "the new take",
    );
    expect(second.origin).toMatchObject({
      userId: bob.id,
      userName: "bob",
      threadId: result.thread_ts,
    });
    expect(second.request.prompt).toBe(first.request.prompt);
    expect(second.request.seed).not.toBe(3);
    expect(uploads[1]).toMatchObject({ threadTs: result.thread_ts });
    expect(uploads[1]?.comment).toContain(`<@${bob.id}>`);
  });

  it(":x: by the requester cancels a pending job; by someone else it is refused privately", async () => {
    bot = await startSlackBot({ delayMs: 60_000 });
    const { fake, alice, bob } = bot;
    const job = await videoBy(bot, "a glacier calving");
    await waitUntil(() => cardOf(fake, job.id) !== undefined, { message: "the card" });
    await fake.send("event", eventEnvelope(fake, reactionEvent(bob, "x", card(bot, job.id))));
    await waitUntil(() => privateNotes(fake).length === 1, { message: "the refusal" });
    expect(privateNotes(fake)[0]).toContain("Only the person who asked");
    expect((await bot.store.get(job.id))?.state).not.toBe("cancelled");

    await fake.send("event", eventEnvelope(fake, reactionEvent(alice, "x", card(bot, job.id))));
    await waitForJob(
      bot.store,
      (current) => current.id === job.id && current.state === "cancelled",
      "cancelled",
    );
    await waitUntil(() => cardTitle(fake, job.id) === "🚫 Cancelled", {
      message: "the card to say cancelled",
    });
  });

  it("after a restart (new adapter, new service, same store): :x: cancels and :repeat: regenerates from old cards", async () => {
    bot = await startSlackBot({ delayMs: 60_000 });
    const { fake } = bot;
    const pending = await videoBy(bot, "a lighthouse in fog");
    await waitUntil(() => cardOf(fake, pending.id) !== undefined, {
      message: "the card",
    });
    bot = await bot.restart();
    const { alice } = bot;
    await fake.send("event", eventEnvelope(fake, reactionEvent(alice, "x", card(bot, pending.id))));
    await waitForJob(
      bot.store,
      (job) => job.id === pending.id && job.state === "cancelled",
      "cancelled after restart",
    );

    await fake.send(
      "event",
      eventEnvelope(fake, reactionEvent(alice, "repeat", card(bot, pending.id))),
    );
    const again = await waitForJob(
      bot.store,
      (job) => job.parentJobId === pending.id,
      "regenerated after restart",
    );
    // The new take answers under the old card, which started the thread.
    expect(again.origin.threadId).toBe(card(bot, pending.id).ts);
    expect(bot.provider.submits).toHaveLength(1);
  });

  it("a retried reaction event regenerates once, even after a restart", async () => {
    bot = await startSlackBot({ processBeforeResponse: true });
    const { fake, bob } = bot;
    const first = await videoBy(bot, "tide pools");
    await waitForUploads(fake, 1);
    const envelope = eventEnvelope(
      fake,
      reactionEvent(bob, "repeat", resultMessage(bot, first.id)),
    );
    await Promise.all([
      fake.send("event", envelope),
      fake.send("event", envelope, { retryNum: 1 }),
    ]);
    await waitForUploads(fake, 2);
    bot = await bot.restart();
    await fake.send("event", envelope, { retryNum: 2 });
    const takes = (await bot.store.listByUser("slack", bob.id, 10)).filter(
      (job) => job.parentJobId === first.id,
    );
    expect(takes).toHaveLength(1);
    expect(bot.provider.submits).toHaveLength(0);
  });

  it("buttons: Cancel on a pending card, Regenerate and a Remix form on a finished one", async () => {
    bot = await startSlackBot({ delayMs: 60_000 });
    const { fake, alice } = bot;
    const pending = await videoBy(bot, "northern lights");
    await waitUntil(() => cardOf(fake, pending.id) !== undefined, { message: "the card" });
    await fake.send(
      "interactive",
      buttonClick(fake, alice, card(bot, pending.id), `cancel:${pending.id}`),
    );
    await waitForJob(
      bot.store,
      (job) => job.id === pending.id && job.state === "cancelled",
      "cancelled",
    );
    await waitUntil(() =>
      JSON.stringify(cardOf(fake, pending.id)?.blocks).includes(`regenerate:${pending.id}`),
    );

    await fake.send(
      "interactive",
      buttonClick(fake, alice, card(bot, pending.id), `regenerate:${pending.id}`),
    );
    const retry = await waitForJob(bot.store, (job) => job.parentJobId === pending.id, "the retry");
    expect(retry.origin.threadId).toBe(card(bot, pending.id).ts);

    await fake.send(
      "interactive",
      buttonClick(fake, alice, card(bot, pending.id), `remix:${pending.id}`),
    );
    await waitUntil(() => fake.views.length === 1, { message: "the remix form" });
    const view = fake.views[0];
    if (!view) throw new Error("no view");
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"northern lights"');
    const values = formValues({ prompt: stateValue.text("southern lights --ar 1:1") });
    await fake.send("interactive", viewSubmission(fake, alice, view, values));
    const remix = await waitForJob(
      bot.store,
      (job) => job.request.prompt === "southern lights",
      "the remix",
    );
    expect(remix).toMatchObject({ parentJobId: pending.id, request: { aspectRatio: "1:1" } });
    expect(remix.origin.threadId).toBe(card(bot, pending.id).ts);
  });
  it("Remix of a prompt longer than Slack's 3,000-character input shows it whole over two boxes", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const longPrompt = Array.from({ length: 300 }, (_, index) => `lighthouse${index % 10}`).join(
      " ",
    );
    expect(longPrompt.length).toBeGreaterThan(3000);
    const parent = await videoBy(bot, `${longPrompt} --dur 6`);
    await waitUntil(() => cardOf(fake, parent.id) !== undefined, { message: "the card" });
    await fake.send(
      "interactive",
      buttonClick(fake, alice, card(bot, parent.id), `remix:${parent.id}`),
    );
    await waitUntil(() => fake.views.length === 1, { message: "the remix form" });
    const view = fake.views[0];
    if (!view) throw new Error("no view");
    const boxes = view.blocks as unknown as Array<{
      block_id: string;
      label: { text: string };
      element: { initial_value: string; max_length: number };
    }>;
    expect(boxes.map((box) => box.label.text)).toEqual([
      "Prompt and settings (1 of 2)",
      "Prompt and settings (2 of 2)",
    ]);
    for (const box of boxes) {
      expect(box.element.initial_value.length).toBeLessThanOrEqual(box.element.max_length);
      expect(box.element.max_length).toBe(3000);
    }
    expect(boxes.map((box) => box.element.initial_value).join(" ")).toBe(`${longPrompt} --dur 6`);
    const [first, second] = boxes;
    const values = formValues({
      [first?.block_id ?? ""]: stateValue.text(first?.element.initial_value ?? ""),
      [second?.block_id ?? ""]: stateValue.text(
        (second?.element.initial_value ?? "").replace("--dur 6", "--dur 4"),
      ),
    });
    await fake.send("interactive", viewSubmission(fake, alice, view, values));
    const remix = await waitForJob(bot.store, (job) => job.parentJobId === parent.id, "the remix");
    expect(remix.request).toMatchObject({ prompt: longPrompt, duration: 4 });
  });
});
