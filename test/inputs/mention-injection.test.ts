import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bot,
  callbackOf,
  jsonOf,
  startBot,
  uploads,
  waitForUploads,
} from "../adapters/discord/discord-harness.ts";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { waitForJob } from "../adapters/slack/slack-views.ts";
import { slashCommand, userMessage } from "../fakes/fake-discord-payloads.ts";
import { slashCommand as slackCommand } from "../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";

/** Prompts that try to ping, to smuggle markup, or to hide and reorder text. */
const hostile: Array<[string, string]> = [
  ["@everyone and @here", "a crowd cheers @everyone @here"],
  [
    "role, user and channel mentions",
    "a duel <@&123456789012345678> <@100000000000000002> <#123456789012345678>",
  ],
  [
    "Slack broadcasts and a user group",
    "a bell rings <!channel> <!here> <!everyone> <!subteam^S0123|@team>",
  ],
  [
    "markdown and a masked link",
    "**bold** ||spoiler|| `code` > quote [free nitro](https://evil.example)",
  ],
  [
    "right-to-left override and zero-width joins",
    "a sign that reads \u202Egnp.exe\u202C and e\u200Bvery\u200Done",
  ],
  ["emoji and combining marks", "🎬👩‍👩‍👧‍👦🇺🇦 Z\u0351\u0300a\u0336l\u0334g\u0335o"],
];

describe("hostile text in prompts on Discord: kept as asked, and nobody is pinged", () => {
  let bot: Bot;
  beforeAll(async () => {
    bot = await startBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  it.each(hostile)("%s", async (_name, prompt) => {
    const { fake, alice } = bot;
    const before = uploads(fake).length;
    const { id } = slashCommand(fake, "video", { prompt }, { user: alice });
    await callbackOf(fake, id);
    const [upload] = (await waitForUploads(fake, before + 1)).slice(before);
    expect(bot.provider.submits.at(-1)?.request.prompt).toBe(prompt);
    const body = jsonOf(upload ?? ({} as never));
    expect(body.allowed_mentions).toEqual({ users: [alice.id], parse: [], replied_user: false });
    const content = String(body.content);
    // User and role mentions notify; a channel link (<#…>) does not.
    expect(content.match(/<@[!&]?\d+>/g)).toEqual([`<@${alice.id}>`]);
    expect(content).not.toMatch(/@(everyone|here)/);
    // The card is an embed edited through the interaction: no content, so nothing to ping with.
    const edits = fake.calls.filter((call) => call.path.includes(`token-${id}/messages`));
    expect(edits.length).toBeGreaterThan(0);
    for (const edit of edits) expect(jsonOf(edit).content ?? "").toBe("");
    // A masked link in the bot's own message would hide where it goes: it shows as literal text.
    const maskedLink = /(^|[^\\])\[[^\]]*\]\(/;
    expect(content).not.toMatch(maskedLink);
    const embeds = edits.flatMap(
      (edit) => (jsonOf(edit).embeds ?? []) as { description?: string }[],
    );
    for (const embed of embeds) expect(embed.description ?? "").not.toMatch(maskedLink);
  });

  it("a mention whose prompt pings: its card is posted with pings turned off", async () => {
    const { fake, alice } = bot;
    const asked = userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> hello @everyone <@&123456789012345678>`,
      mentionsBot: true,
    });
    const card = await fake.waitForCall(
      (call) =>
        call.method === "POST" &&
        (jsonOf(call).message_reference as { message_id?: string } | undefined)?.message_id ===
          asked.id,
    );
    expect(jsonOf(card).allowed_mentions).toEqual({ parse: [] });
  });
});

describe("hostile text in prompts on Slack: escaped everywhere the bot writes it", () => {
  let bot: SlackBot;
  beforeAll(async () => {
    bot = await startSlackBot();
  });
  afterAll(async () => {
    await bot.stop();
  });

  /** Everything the bot wrote to Slack: cards (and each edit), uploads' comments, notes. */
  function written(): string {
    return bot.fake.calls
      .filter((call) => call.kind === "api" && call.method !== "users.info")
      .map((call) => JSON.stringify(call.fields))
      .join("\n");
  }

  it.each(hostile)("%s", async (_name, prompt) => {
    const { fake, alice } = bot;
    await fake.send("command", slackCommand(fake, alice, "/video", prompt));
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.request.prompt === prompt && candidate.state === "delivered",
      "the video",
    );
    expect(job.request.prompt).toBe(prompt);
    await waitUntil(() => written().includes(`Job \`${job.id}\``), { message: "the card" });
    const text = written();
    // Slack markup that notifies: <!channel>, <!here>, <!everyone>, <!subteam^…>, <@U…>, <#C…>.
    const pings = text.match(/<!(?!date\^)[^>]*>|<@[^>]*>|<#[^>]*>/g) ?? [];
    expect(new Set(pings)).toEqual(new Set([`<@${alice.id}>`]));
    expect(text).not.toMatch(/(^|[^\u200b])@(channel|here|everyone)\b/);
  });
});

describe("hostile text in prompts in the playground: returned as plain data", () => {
  let stack: PlaygroundStack;
  beforeAll(async () => {
    stack = await startPlaygroundStack({ delayMs: 40 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ...hostile,
    ["HTML and script", `<img src=x onerror="alert(1)"><script>alert(2)</script>`],
  ])("%s", async (_name, prompt) => {
    const answer = await new PlaygroundClient(stack.baseUrl).sendMessage(clientId(), prompt);
    expect(answer.status).toBe(200);
    const card = answer.body.entries?.find((entry) => entry.kind === "card");
    expect(card && "prompt" in card ? card.prompt : undefined).toBe(prompt);
  });
});
