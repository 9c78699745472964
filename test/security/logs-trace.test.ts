import { afterAll, describe, expect, it } from "vitest";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { waitForUploads } from "../adapters/slack/slack-views.ts";
import { eventEnvelope, mentionEvent, slashCommand } from "../fakes/fake-slack-payloads.ts";
import { writtenLogs } from "./support/log-lines.ts";

let bot: SlackBot | undefined;
afterAll(async () => {
  await bot?.stop();
});

describe("LOG_LEVEL=trace redacts like debug", () => {
  it("Bolt's and the Web API client's trace lines carry no prompt, user id or upload URL", async () => {
    const logs = writtenLogs("trace");
    bot = await startSlackBot({ logger: logs.logger, processBeforeResponse: true });
    const { fake, alice, bob } = bot;
    const message = fake.userMessage(alice, `<@${fake.botUserId}> a lighthouse-of-secrets --dur 4`);
    await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
    await fake.send("command", slashCommand(fake, bob, "/video", "an owl-of-secrets --dur 4"));
    await waitForUploads(fake, 2);
    const text = logs.text();
    // Trace was on, and Bolt and the Web API client wrote at it.
    expect(logs.lines.some((line) => line.includes('"level":10'))).toBe(true);
    expect(text).toContain("apiCall('chat.postMessage') start");
    for (const secret of [
      "lighthouse-of-secrets",
      "owl-of-secrets",
      alice.id,
      bob.id,
      "/upload/",
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
