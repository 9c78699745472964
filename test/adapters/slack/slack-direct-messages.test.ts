import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { buildSlackManifest } from "../../../adapters/slack/manifest.ts";
import { commands, messageActions } from "../../../commands/index.ts";
import { directMessageEvent, eventEnvelope } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { pngFixture, type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, privateNotes, waitForJob, waitForUploads } from "./slack-views.ts";

const dm = "D0ALICE";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack direct messages to the bot", () => {
  it("a DM with an image is a request without a mention: card and video in a thread under it", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const files = [fake.file("boat.png", await readFile(pngFixture), "image/png")];
    const message = fake.userMessage(alice, "the boat sails --dur 4", { files, channel: dm });
    const answer = await fake.send("event", eventEnvelope(fake, directMessageEvent(message)));
    expect(answer.status).toBe(200);

    const [upload] = await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]?.request).toMatchObject({
      mode: "image",
      prompt: "the boat sails",
      duration: 4,
      startImage: { fileName: "boat.png" },
    });
    const job = await waitForJob(bot.store, (found) => found.state === "delivered", "delivered");
    expect(job.origin).toMatchObject({ channelId: dm, threadId: message.ts, userId: alice.id });
    expect(cardOf(fake, job.id)).toMatchObject({ channel: dm, thread_ts: message.ts });
    expect(upload).toMatchObject({ channel: dm, threadTs: message.ts });
  });

  it("the bot's own messages, edits and retried deliveries in the DM start nothing", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const message = fake.userMessage(alice, "a lantern glows", { channel: dm });
    const envelope = eventEnvelope(fake, directMessageEvent(message));
    await fake.send("event", envelope);
    await fake.send("event", envelope, { retryNum: 1 });
    const own = fake.userMessage({ id: fake.botUserId }, "Job card", { channel: dm });
    await fake.send("event", eventEnvelope(fake, directMessageEvent(own, { bot_id: "B0BOT" })));
    await fake.send(
      "event",
      eventEnvelope(fake, directMessageEvent(message, { subtype: "message_changed" })),
    );
    await waitForJob(bot.store, (found) => found.state === "delivered", "delivered");
    expect(bot.provider.submits.map((submit) => submit.request.prompt)).toEqual([
      "a lantern glows",
    ]);
  });

  it("a mistake in a DM is answered privately in its thread, and nothing starts", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    const message = fake.userMessage(alice, "a storm --dur 30", { channel: dm });
    await fake.send("event", eventEnvelope(fake, directMessageEvent(message)));
    await waitUntil(() => privateNotes(fake).length === 1, { message: "the private answer" });
    expect(privateNotes(fake)[0]).toContain("--dur 30");
    expect(fake.callsTo("chat.postEphemeral")[0]?.fields).toMatchObject({
      channel: dm,
      user: alice.id,
      thread_ts: message.ts,
    });
    expect(bot.provider.submits).toEqual([]);
  });

  it("the manifest subscribes to direct messages and opens the Messages tab", () => {
    const manifest = buildSlackManifest(commands, messageActions);
    expect(manifest.settings.event_subscriptions.bot_events).toContain("message.im");
    expect(manifest.oauth_config.scopes.bot).toContain("im:history");
    expect(manifest.features.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });
});
