import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bot,
  callbackOf,
  ephemeralTexts,
  startBot,
} from "../adapters/discord/discord-harness.ts";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { slashCommand } from "../fakes/fake-discord-payloads.ts";
import { slashCommand as slackCommand } from "../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";

// A prompt of nothing visible (zero-width and direction marks, lone combining marks, which trim()
// keeps) is refused as empty on every platform, before anything reaches the provider.
const invisible: Array<[string, string]> = [
  ["zero-width spaces and joiners", "\u200B\u200C\u200D\u2060\uFEFF"],
  ["direction marks and overrides", "\u202E\u200F\u200E\u202C"],
  ["combining marks on nothing", "\u0301\u0351\u0336"],
];
const emptyPrompt = /The prompt is empty; describe the video in 1–5000 characters/;

describe("invisible prompts (nothing a person could read) are refused as empty", () => {
  let discord: Bot;
  let slack: SlackBot;
  let playground: PlaygroundStack;
  beforeAll(async () => {
    [discord, slack, playground] = await Promise.all([
      startBot(),
      startSlackBot({ processBeforeResponse: true }),
      startPlaygroundStack({ delayMs: 40 }),
    ]);
  });
  afterAll(async () => {
    await discord.stop();
    await slack.stop();
    await playground.close();
  });

  it.each(invisible)("Discord: %s", async (_name, prompt) => {
    const before = discord.provider.submits.length;
    const { id } = slashCommand(discord.fake, "video", { prompt }, { user: discord.alice });
    const callback = await callbackOf(discord.fake, id);
    const answered = () =>
      ephemeralTexts(discord.fake.calls.filter((call) => call.path.includes(id)));
    await waitUntil(() => answered().length > 0 || discord.provider.submits.length > before);
    expect(callback.status).toBe(204);
    expect(answered().join("")).toMatch(emptyPrompt);
    expect(discord.provider.submits).toHaveLength(before);
  });

  it.each(invisible)("Slack: %s", async (_name, prompt) => {
    const answer = await slack.fake.send(
      "command",
      slackCommand(slack.fake, slack.alice, "/video", prompt),
    );
    expect(answer.body).toMatch(emptyPrompt);
  });

  it.each(invisible)("Playground: %s", async (_name, prompt) => {
    const answer = await new PlaygroundClient(playground.baseUrl).sendMessage(clientId(), prompt);
    expect(answer.status).toBe(422);
  });
});
