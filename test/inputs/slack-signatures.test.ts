import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { waitForUploads } from "../adapters/slack/slack-views.ts";
import { eventEnvelope, mentionEvent, slashCommand } from "../fakes/fake-slack-payloads.ts";
import { expectNothingMade } from "./support/slack-answers.ts";

let bot: SlackBot;
beforeAll(async () => {
  // Answers wait for the listener: once Slack has its answer, the request was handled.
  bot = await startSlackBot({ processBeforeResponse: true });
});
afterAll(async () => {
  await bot.stop();
});

describe("bad input on Slack: requests that are not from Slack", () => {
  const mentionBody = () => {
    const message = bot.fake.userMessage(bot.alice, `<@${bot.fake.botUserId}> a kite`);
    return JSON.stringify(eventEnvelope(bot.fake, mentionEvent(bot.fake, message)));
  };
  const post = (body: string, headers: Record<string, string>) =>
    fetch(bot.fake.botUrl, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const sign = (body: string, timestamp: number) =>
    `v0=${createHmac("sha256", bot.fake.signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const now = () => Math.floor(Date.now() / 1000);

  it.each<[string, () => Promise<number>]>([
    [
      "a forged signature (another secret)",
      async () =>
        (await bot.fake.signedPost(mentionBody(), "application/json", { badSignature: true }))
          .status,
    ],
    [
      "a replayed request (timestamp six minutes old)",
      async () =>
        (await bot.fake.signedPost(mentionBody(), "application/json", { timestamp: now() - 360 }))
          .status,
    ],
    [
      "a body changed after it was signed",
      async () => {
        const timestamp = now();
        const signature = sign(mentionBody(), timestamp);
        return (
          await post(mentionBody(), {
            "x-slack-signature": signature,
            "x-slack-request-timestamp": String(timestamp),
          })
        ).status;
      },
    ],
    [
      "an old signature with a fresh timestamp",
      async () => {
        const body = mentionBody();
        const signature = sign(body, now() - 360);
        return (
          await post(body, {
            "x-slack-signature": signature,
            "x-slack-request-timestamp": String(now()),
          })
        ).status;
      },
    ],
    ["no signature at all", async () => (await post(mentionBody(), {})).status],
    [
      "a signature in an unknown version",
      async () => {
        const body = mentionBody();
        const timestamp = now();
        const signature = sign(body, timestamp).replace("v0=", "v1=");
        return (
          await post(body, {
            "x-slack-signature": signature,
            "x-slack-request-timestamp": String(timestamp),
          })
        ).status;
      },
    ],
  ])("%s: 401, and nothing is done", async (_name, send) => {
    const calls = bot.fake.calls.length;
    expect(await send()).toBe(401);
    expect(bot.fake.calls.length).toBe(calls);
    await expectNothingMade(bot);
  });

  it("a genuine slash command replayed within the five minutes: still one job", async () => {
    const { fake, bob } = bot;
    const command = slashCommand(fake, bob, "/video", "a replayed kite --dur 4");
    await fake.send("command", command);
    await fake.send("command", command);
    await waitForUploads(fake, 1);
    expect(await bot.store.listByUser("slack", bob.id, 10)).toHaveLength(1);
    expect(bot.provider.submits).toHaveLength(1);
  });
});
