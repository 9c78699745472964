import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type Bot,
  callbackOf,
  cardTitle,
  channelPosts,
  jsonOf,
  startBot,
  uploads,
  waitForJob,
} from "../adapters/discord/discord-harness.ts";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import {
  cardOf as slackCardOf,
  cardTitle as slackCardTitle,
  waitForJob as waitForSlackJob,
} from "../adapters/slack/slack-views.ts";
import type { FakeDiscord } from "../fakes/fake-discord.ts";
import { buttonClick, slashCommand } from "../fakes/fake-discord-payloads.ts";
import {
  buttonClick as slackButtonClick,
  slashCommand as slackCommand,
} from "../fakes/fake-slack-payloads.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { useFakeClock } from "./support/fault-clock.ts";

let discord: Bot | undefined;
let slack: SlackBot | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await discord?.stop();
  await slack?.stop();
  discord = undefined;
  slack = undefined;
});

const webhookEdit = /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/;
const channelMessage = /^\/channels\/\d+\/messages$/;

/** Successful MP4 uploads, and the cards the bot posted as channel messages. */
function seen(fake: FakeDiscord) {
  return {
    uploads: uploads(fake).filter((call) => call.status === 200),
    channelCards: channelPosts(fake).filter(
      (call) => call.status === 200 && call.files.length === 0,
    ),
  };
}

/** Messages carrying a video that Slack accepted (a refused completion posts nothing). */
function videosIn(bot: SlackBot) {
  return bot.fake.messages.filter(
    (message) => message.user === bot.fake.botUserId && message.files,
  );
}

async function videoOnDiscord(bot: Bot, prompt: string) {
  const { fake, alice } = bot;
  const { id } = slashCommand(fake, "video", { prompt }, { user: alice });
  await callbackOf(fake, id);
  const job = await waitForJob(
    bot.store,
    (candidate) => candidate.request.prompt === prompt,
    prompt,
  );
  const card = () => fake.interactions.get(`token-${id}`)?.originalMessageId ?? "";
  return { job, card };
}

describe("fault: Discord answers 429 or 5xx to card edits and uploads", () => {
  it("a 5xx on a card edit: the next edit catches up; one card, one video", async () => {
    discord = await startBot();
    const { fake } = discord;
    fake.failNext("PATCH", webhookEdit, 502);
    const { job, card } = await videoOnDiscord(discord, "edit fails once");
    await waitUntil(() => cardTitle(fake, card()) === "✅ Done", { message: "the card at done" });
    expect((await discord.store.get(job.id))?.state).toBe("delivered");
    expect(seen(fake)).toMatchObject({ uploads: [expect.anything()], channelCards: [] });
  });

  it("a 429 on a card edit: discord.js waits and repeats it; one card, one video", async () => {
    discord = await startBot();
    const { fake } = discord;
    fake.failNext("PATCH", webhookEdit, 429, {
      message: "You are being rate limited.",
      retry_after: 0,
      global: false,
    });
    const { card } = await videoOnDiscord(discord, "edit throttled");
    await waitUntil(() => cardTitle(fake, card()) === "✅ Done", { message: "the card at done" });
    expect(seen(fake)).toMatchObject({ uploads: [expect.anything()], channelCards: [] });
  });

  it("5xx on the upload: retried with backoff, the video is posted once", async () => {
    discord = await startBot();
    const { fake } = discord;
    fake.failNext("POST", channelMessage, 503);
    fake.failNext("POST", channelMessage, 500);
    const { job, card } = await videoOnDiscord(discord, "upload flaky");
    await waitUntil(() => cardTitle(fake, card()) === "✅ Done", { message: "the card at done" });
    expect(await discord.store.get(job.id)).toMatchObject({ state: "delivered", attempts: 2 });
    expect(seen(fake).uploads).toHaveLength(1);
  });

  it("a 429 on the upload: repeated by discord.js, the video is posted once", async () => {
    discord = await startBot();
    const { fake } = discord;
    fake.failNext("POST", channelMessage, 429, {
      message: "rate limited",
      retry_after: 0,
      global: false,
    });
    const { card } = await videoOnDiscord(discord, "upload throttled");
    await waitUntil(() => cardTitle(fake, card()) === "✅ Done", { message: "the card at done" });
    expect(seen(fake).uploads).toHaveLength(1);
  });

  it("5xx on every upload try: the card says the video was made but not posted, and why", async () => {
    discord = await startBot();
    const { fake } = discord;
    for (let attempt = 0; attempt < 6; attempt++) fake.failNext("POST", channelMessage, 503);
    const { job, card } = await videoOnDiscord(discord, "upload down");
    await waitUntil(() => cardTitle(fake, card()) === "⚠️ Made, but not posted", {
      message: "the card to say it could not post",
    });
    const why = fake.messages.get(card())?.embeds[0]?.fields?.find((field) => field.name === "Why");
    expect(why?.value).toMatch(/could not be posted: Discord could not upload the video/);
    expect(await discord.store.get(job.id)).toMatchObject({
      state: "delivery_failed",
      attempts: 6,
    });
    expect(seen(fake).uploads).toHaveLength(0);

    // Discord is back: "Post again" on the card posts the saved video once, at no cost.
    const cardMessage = fake.messages.get(card());
    const buttons = JSON.stringify(cardMessage?.components ?? []);
    expect(buttons).toContain(`deliver:${job.id}`);
    if (!cardMessage) throw new Error("no card");
    const submitsBefore = discord.provider.submits.length;
    const click = buttonClick(fake, `deliver:${job.id}`, cardMessage, { user: discord.bob });
    await waitUntil(() => cardTitle(fake, card()) === "✅ Done", { message: "the card at done" });
    expect(seen(fake).uploads).toHaveLength(1);
    expect(discord.provider.submits).toHaveLength(submitsBefore);
    const answer = await fake.waitForCall(
      (call) =>
        call.method === "PATCH" &&
        call.path === `/webhooks/${fake.applicationId}/token-${click.id}/messages/@original`,
    );
    expect(jsonOf(answer).content).toBe(`Posting the video of job \`${job.id}\` again.`);
    // A second click finds nothing to post, and says so privately.
    const again = buttonClick(fake, `deliver:${job.id}`, cardMessage, { user: discord.alice });
    const refused = await fake.waitForCall(
      (call) =>
        call.method === "PATCH" &&
        call.path === `/webhooks/${fake.applicationId}/token-${again.id}/messages/@original`,
    );
    expect(String(jsonOf(refused).content)).toContain("is already posted");
    expect(seen(fake).uploads).toHaveLength(1);
  });
});

describe("fault: Slack refuses card edits and uploads", () => {
  it("chat.update rate limited once: the card still ends at done; one video", async () => {
    slack = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = slack;
    fake.failNext("chat.update", "ratelimited");
    await fake.send("command", slackCommand(fake, alice, "/video", "card throttled"));
    const job = await waitForSlackJob(
      slack.store,
      (candidate) => candidate.state === "delivered",
      "delivery",
    );
    await waitUntil(() => slackCardTitle(fake, job.id) === "✅ Done", {
      message: "the card at done",
    });
    expect(videosIn(slack)).toHaveLength(1);
  });

  it("upload URL refused, then the upload's completion refused: retried, one video in the thread", async () => {
    slack = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = slack;
    fake.failNext("files.getUploadURLExternal", "internal_error");
    fake.failNext("files.completeUploadExternal", "fatal_error");
    await fake.send("command", slackCommand(fake, alice, "/video", "upload flaky"));
    const job = await waitForSlackJob(
      slack.store,
      (candidate) => candidate.state === "delivered",
      "delivery",
    );
    expect(job.attempts).toBe(2);
    expect(videosIn(slack)).toHaveLength(1);
    await waitUntil(() => slackCardTitle(fake, job.id) === "✅ Done", {
      message: "the card at done",
    });
  });

  it("uploads refused on every try: 'Post again' on the card posts the video once, at no cost", async () => {
    slack = await startSlackBot({ processBeforeResponse: true });
    const { fake, alice } = slack;
    for (let attempt = 0; attempt < 6; attempt++) {
      fake.failNext("files.getUploadURLExternal", "internal_error");
    }
    await fake.send("command", slackCommand(fake, alice, "/video", "upload down"));
    const failed = await waitForSlackJob(
      slack.store,
      (candidate) => candidate.state === "delivery_failed",
      "the failed delivery",
    );
    await waitUntil(() => JSON.stringify(slackCardOf(fake, failed.id)).includes("deliver:"), {
      message: "the card with Post again",
    });
    const card = slackCardOf(fake, failed.id);
    if (!card) throw new Error("no card");
    const submits = slack.provider.submits.length;
    await fake.send("interactive", slackButtonClick(fake, alice, card, `deliver:${failed.id}`));
    const job = await waitForSlackJob(
      slack.store,
      (candidate) => candidate.state === "delivered",
      "delivery",
    );
    expect(job.id).toBe(failed.id);
    expect(videosIn(slack)).toHaveLength(1);
    expect(slack.provider.submits).toHaveLength(submits);
  });
});

describe("fault: the chat platform fails the last card edit (recording adapter)", () => {
  // A failed status call is tried again with backoff, so the card does not stay at a stale state.
  it("a 5xx burst on the edit that says 'failed': the card catches up once the platform recovers", async () => {
    const harness = await createHarness();
    try {
      const bot = await harness.boot();
      const job = await bot.service.submit({ mode: "text", prompt: "last edit lost" }, origin);
      await waitUntil(() => bot.adapter.cards.get(job.id)?.last.state === "queued");
      useFakeClock();
      bot.adapter.failNextStatus(3);
      harness.fake.fail(job.providerJobId ?? "", "The model could not finish");
      await waitUntil(async () => (await bot.service.getJob(job.id))?.state === "failed");
      // Ten minutes for the platform to recover and the card to be shown again.
      for (let step = 0; step < 60; step++) await vi.advanceTimersByTimeAsync(10_000);
      expect(bot.adapter.cards.get(job.id)?.last.state).toBe("failed");
    } finally {
      vi.useRealTimers();
      await harness.close();
    }
  });
});
