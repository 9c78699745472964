import { GatewayDispatchEvents } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import {
  type Bot,
  callbackOf,
  cardTitle,
  channelPosts,
  startBot,
  uploads,
  waitForUploads,
} from "../adapters/discord/discord-harness.ts";
import type { FakeDiscord } from "../fakes/fake-discord.ts";
import { buttonClick, slashCommand, userMessage } from "../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";

let discord: Bot | undefined;
afterEach(async () => {
  await discord?.stop();
  discord = undefined;
});

/** Every gateway event the fake sends, so one can be delivered again exactly as it was. */
function recordDispatches(fake: FakeDiscord): Array<{ t: string; d: unknown }> {
  const sent: Array<{ t: string; d: unknown }> = [];
  const dispatch = fake.dispatch.bind(fake);
  fake.dispatch = (t, d) => {
    sent.push({ t, d });
    dispatch(t, d);
  };
  return sent;
}

function callbacks(fake: FakeDiscord, interactionId: string) {
  return fake.callsTo("POST", new RegExp(`^/interactions/${interactionId}/`));
}

function successfulUploads(fake: FakeDiscord) {
  return uploads(fake).filter((call) => call.status === 200);
}

describe("fault: Discord delivers the same event twice", () => {
  it("a replayed slash command (same interaction): one job, one video, the first card says done", async () => {
    discord = await startBot();
    const { fake, alice } = discord;
    const sent = recordDispatches(fake);
    const { id } = slashCommand(fake, "video", { prompt: "replayed command" }, { user: alice });
    await callbackOf(fake, id);
    const original = sent.find((event) => event.t === GatewayDispatchEvents.InteractionCreate);
    if (!original) throw new Error("no interaction sent");
    fake.dispatch(original.t, original.d);
    // Discord refuses a second answer to one interaction (40060); the replay stops there.
    await waitUntil(() => callbacks(fake, id).length === 2, { message: "the replay's answer" });
    expect(callbacks(fake, id).map((call) => call.status)).toEqual([204, 400]);
    await waitForUploads(fake, 1);
    const card = fake.interactions.get(`token-${id}`)?.originalMessageId ?? "";
    await waitUntil(() => cardTitle(fake, card) === "✅ Done", { message: "the card to say done" });
    expect(discord.provider.submits).toHaveLength(1);
    expect(await discord.store.listByUser("discord", alice.id, 10)).toHaveLength(1);
    expect(successfulUploads(fake)).toHaveLength(1);
  });

  it("the same interaction delivered twice at once: one job, one video", async () => {
    discord = await startBot();
    const { fake, alice } = discord;
    const sent = recordDispatches(fake);
    const { id } = slashCommand(fake, "video", { prompt: "doubled at once" }, { user: alice });
    const original = sent.at(-1);
    if (original) fake.dispatch(original.t, original.d);
    await waitUntil(() => callbacks(fake, id).length === 2, { message: "both answers" });
    expect(
      callbacks(fake, id)
        .map((call) => call.status)
        .sort(),
    ).toEqual([204, 400]);
    await waitForUploads(fake, 1);
    expect(discord.provider.submits).toHaveLength(1);
    expect(successfulUploads(fake)).toHaveLength(1);
  });

  it("a replayed mention (same message): one job, one card, one video", async () => {
    discord = await startBot();
    const { fake, alice } = discord;
    const sent = recordDispatches(fake);
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> replayed mention`,
      mentionsBot: true,
    });
    const original = sent.at(-1);
    await waitForUploads(fake, 1);
    if (original) fake.dispatch(original.t, original.d);
    // Events are handled in order: once a later mention made its video, the replay was handled.
    userMessage(fake, { author: alice, content: `<@${fake.botUser.id}> later`, mentionsBot: true });
    await waitForUploads(fake, 2);
    expect(discord.provider.submits.map((submit) => submit.request.prompt)).toEqual([
      "replayed mention",
      "later",
    ]);
    const [first] = discord.provider.submits;
    const cards = channelPosts(fake).filter((call) =>
      JSON.stringify(call.json).includes(`Job ${first?.jobId} `),
    );
    expect(cards).toHaveLength(1);
    expect(successfulUploads(fake)).toHaveLength(2);
  });

  it("a replayed Regenerate click: one new take", async () => {
    discord = await startBot();
    const { fake, alice } = discord;
    slashCommand(fake, "video", { prompt: "take one" }, { user: alice });
    await waitForUploads(fake, 1);
    const result = [...fake.messages.values()].find((message) =>
      message.attachments.some((file) => file.filename.endsWith(".mp4")),
    );
    if (!result) throw new Error("no result");
    const sent = recordDispatches(fake);
    const { id } = buttonClick(fake, `regenerate:${discord.provider.submits[0]?.jobId}`, result, {
      user: alice,
    });
    await callbackOf(fake, id);
    const click = sent.at(-1);
    if (click) fake.dispatch(click.t, click.d);
    await waitUntil(() => callbacks(fake, id).length === 2, { message: "the replay's answer" });
    await waitForUploads(fake, 2);
    expect(discord.provider.submits).toHaveLength(2);
    expect(successfulUploads(fake)).toHaveLength(2);
  });
});
