import { afterEach, describe, expect, it } from "vitest";
import { createMemoryCoordination } from "../../src/coordination/memory-coordination.ts";
import { createMemoryJobStore } from "../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createSimulatorProvider } from "../../src/providers/simulator/index.ts";
import { type Bot, startBot, waitForUploads } from "../adapters/discord/discord-harness.ts";
import { type SlackBot, sampleVideo, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { completedUploads, privateNotes } from "../adapters/slack/slack-views.ts";
import { reactionAdd, userMessage } from "../fakes/fake-discord-payloads.ts";
import { FakeSlack } from "../fakes/fake-slack.ts";
import {
  eventEnvelope,
  mentionEvent,
  reactionEvent,
  buttonClick as slackButton,
  slashCommand as slackCommand,
} from "../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** Two Slack instances on one fake Slack, one job store and one coordination store (one database). */
async function twoSlackInstances(): Promise<[SlackBot, SlackBot]> {
  const fake = await FakeSlack.start();
  const store = createMemoryJobStore();
  const coordination = createMemoryCoordination();
  const shared = { fake, store, coordination, processBeforeResponse: true };
  // Each instance follows its own provider connection, as separate processes would.
  const simulators = [simulator(), simulator()] as const;
  const first = await startSlackBot({ ...shared, simulator: simulators[0] });
  const second = await startSlackBot({ ...shared, simulator: simulators[1] });
  stops.push(
    () => second.stop(true),
    () => first.stop(false),
    () => simulators[0].stop(),
  );
  return [first, second];
}

function simulator() {
  return createSimulatorProvider({
    ffmpegPath: null,
    delayMs: 40,
    videoPath: sampleVideo,
    logger: createSilentLogger(),
  });
}

/** Sends to one instance: what a round-robin load balancer in front of them does. */
function sendTo(bot: SlackBot, ...input: Parameters<FakeSlack["send"]>) {
  bot.fake.botUrl = `${bot.baseUrl}/slack/events`;
  return bot.fake.send(...input);
}

function botPostsAbout(fake: FakeSlack, jobId: string) {
  return fake
    .callsTo("chat.postMessage")
    .filter((call) => JSON.stringify(call.fields).includes(jobId));
}

describe("fault: the same platform event reaches two instances, or is replayed later", () => {
  it("a Slack mention and its retry, each sent to a different instance at once: one job, one card, one video", async () => {
    const [first, second] = await twoSlackInstances();
    const { fake, alice, store } = first;
    const message = fake.userMessage(alice, `<@${fake.botUserId}> retried across instances`);
    const envelope = eventEnvelope(fake, mentionEvent(fake, message));
    await Promise.all([
      sendTo(first, "event", envelope),
      sendTo(second, "event", envelope, { retryNum: 1 }),
    ]);
    await waitUntil(() => completedUploads(fake).length === 1, { message: "the video" });
    const jobs = await store.listByUser("slack", alice.id, 10);
    expect(jobs).toHaveLength(1);
    expect(first.provider.submits.length + second.provider.submits.length).toBe(1);
    expect(botPostsAbout(fake, jobs[0]?.id ?? "")).toHaveLength(1);
    // A later retry, on either instance, is dropped too.
    expect((await sendTo(second, "event", envelope, { retryNum: 2 })).status).toBe(200);
    expect(await store.listByUser("slack", alice.id, 10)).toHaveLength(1);
  });

  it("a Slack mention with a bad flag, sent to both instances: the user is told once", async () => {
    const [first, second] = await twoSlackInstances();
    const { fake, alice, store } = first;
    const message = fake.userMessage(alice, `<@${fake.botUserId}> a storm --ar 5:4`);
    const envelope = eventEnvelope(fake, mentionEvent(fake, message));
    await Promise.all([
      sendTo(first, "event", envelope),
      sendTo(second, "event", envelope, { retryNum: 1 }),
    ]);
    // Both deliveries were answered after being handled (processBeforeResponse).
    expect(privateNotes(fake)).toHaveLength(1);
    expect(privateNotes(fake)[0]).toContain("--ar 5:4 is not valid");
    expect(await store.listByUser("slack", alice.id, 10)).toHaveLength(0);
  });

  it("a Slack :repeat: and a Regenerate click, each delivered to both instances: one new take each", async () => {
    const [first, second] = await twoSlackInstances();
    const { fake, alice, bob, store } = first;
    await sendTo(first, "command", slackCommand(fake, alice, "/video", "a lantern"));
    await waitUntil(() => completedUploads(fake).length === 1, { message: "the first video" });
    const result = fake.messages.find(
      (candidate) => candidate.files && candidate.user === fake.botUserId,
    );
    const [parent] = await store.listByUser("slack", alice.id, 10);
    if (!result || !parent) throw new Error("no result");
    const reaction = eventEnvelope(fake, reactionEvent(bob, "repeat", result));
    await Promise.all([
      sendTo(first, "event", reaction),
      sendTo(second, "event", reaction, { retryNum: 1 }),
    ]);
    await waitUntil(() => completedUploads(fake).length === 2, { message: "the new take" });
    expect(await store.listByUser("slack", bob.id, 10)).toHaveLength(1);
    const click = slackButton(fake, alice, result, `regenerate:${parent.id}`);
    await sendTo(first, "interactive", click);
    await sendTo(second, "interactive", click);
    await waitUntil(() => completedUploads(fake).length === 3, { message: "the clicked take" });
    expect(await store.listByUser("slack", alice.id, 10)).toHaveLength(2);
    expect(first.provider.submits.length + second.provider.submits.length).toBe(3);
  });

  it("a Discord 🔁 replayed a minute later (a gateway resume): one new take", async () => {
    const clock = { offsetMs: 0 };
    const bot: Bot = await startBot({ now: () => Date.now() + clock.offsetMs });
    stops.push(() => bot.stop());
    const { fake, alice, bob, store } = bot;
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a kite`,
      mentionsBot: true,
    });
    await waitForUploads(fake, 1);
    const result = [...fake.messages.values()].find((candidate) =>
      candidate.attachments.some((file) => file.filename.endsWith(".mp4")),
    );
    if (!result) throw new Error("no result");
    reactionAdd(fake, result, "🔁", bob);
    await waitForUploads(fake, 2);
    // Past the few seconds in which a second 🔁 counts as a double click: only the event key holds.
    clock.offsetMs += 60_000;
    reactionAdd(fake, result, "🔁", bob);
    // Events are handled in order: once a later mention made its video, the replay was handled.
    userMessage(fake, { author: alice, content: `<@${fake.botUser.id}> later`, mentionsBot: true });
    await waitForUploads(fake, 3);
    expect(bot.provider.submits.map((submit) => submit.request.prompt)).toEqual([
      "a kite",
      "a kite",
      "later",
    ]);
    expect(await store.listByUser("discord", bob.id, 10)).toHaveLength(1);
  });
});
