import { afterEach, describe, expect, it } from "vitest";
import { eventEnvelope, mentionEvent } from "../../fakes/fake-slack-payloads.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

function mentionEnvelope(current: SlackBot) {
  const { fake, alice } = current;
  const message = fake.userMessage(alice, `<@${fake.botUserId}> a kite`);
  return JSON.stringify(eventEnvelope(fake, mentionEvent(fake, message)));
}

describe("Slack HTTP receiver on the bot's own server (POST /slack/events)", () => {
  it("refuses a bad signature with 401 and does nothing", async () => {
    bot = await startSlackBot({ processBeforeResponse: true });
    const answer = await bot.fake.signedPost(mentionEnvelope(bot), "application/json", {
      badSignature: true,
    });
    expect(answer.status).toBe(401);
    expect(await bot.store.listByUser("slack", bot.alice.id, 10)).toEqual([]);
  });

  it("refuses a replayed request (timestamp more than 5 minutes old) with 401", async () => {
    bot = await startSlackBot({ processBeforeResponse: true });
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const answer = await bot.fake.signedPost(mentionEnvelope(bot), "application/json", {
      timestamp: sixMinutesAgo,
    });
    expect(answer.status).toBe(401);
    expect(await bot.store.listByUser("slack", bot.alice.id, 10)).toEqual([]);
  });

  it("refuses an unsigned request with 401", async () => {
    bot = await startSlackBot();
    const response = await fetch(bot.fake.botUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: mentionEnvelope(bot),
    });
    expect(response.status).toBe(401);
  });

  it("accepts a correctly signed event, answers Slack's URL check and its SSL probe", async () => {
    bot = await startSlackBot({ processBeforeResponse: true });
    const { fake } = bot;
    expect((await fake.signedPost(mentionEnvelope(bot), "application/json")).status).toBe(200);
    expect(await bot.store.listByUser("slack", bot.alice.id, 10)).toHaveLength(1);

    const check = await fake.signedPost(
      JSON.stringify({ type: "url_verification", challenge: "c-123", token: "t" }),
      "application/json",
    );
    expect(check).toMatchObject({ status: 200, body: JSON.stringify({ challenge: "c-123" }) });

    const probe = await fetch(fake.botUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "ssl_check=1&token=t",
    });
    expect(probe.status).toBe(200);
  });
});
