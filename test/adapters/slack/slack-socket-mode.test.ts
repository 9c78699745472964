import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { eventEnvelope, mentionEvent, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { type SlackBot, sampleVideo, startSlackBot } from "./slack-harness.ts";
import { waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack over Socket Mode (apps.connections.open + WebSocket)", () => {
  it("connects with the app token, acks envelopes, and serves /video and mentions like HTTP", async () => {
    bot = await startSlackBot({ socketMode: true });
    const { fake, alice } = bot;
    const open = fake.callsTo("apps.connections.open");
    expect(open.map((call) => call.authorization)).toEqual([`Bearer ${fake.appToken}`]);

    await fake.send("command", slashCommand(fake, alice, "/video", "a comet --dur 4"));
    const message = fake.userMessage(alice, `<@${fake.botUserId}> a meteor shower`);
    await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));

    const uploads = await waitForUploads(fake, 2);
    expect(bot.provider.submits.map((submit) => submit.request.prompt).sort()).toEqual([
      "a comet",
      "a meteor shower",
    ]);
    const video = await readFile(sampleVideo);
    for (const upload of uploads)
      expect(fake.uploadedBytes(upload.fileId)?.equals(video)).toBe(true);
    expect(uploads.map((upload) => upload.threadTs)).toContain(message.ts);
  });
});
