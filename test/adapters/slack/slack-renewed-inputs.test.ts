import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { eventEnvelope, mentionEvent, reactionEvent } from "../../fakes/fake-slack-payloads.ts";
import { pngFixture, type SlackBot, startSlackBot } from "./slack-harness.ts";
import { waitForJob } from "./slack-views.ts";

const hour = 60 * 60_000;

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("Slack: regenerating a job whose uploaded inputs' links have expired", () => {
  it(":repeat: two hours later publishes the Slack file again under a fresh link, and makes the video", async () => {
    let clock = Date.now();
    bot = await startSlackBot({ now: () => clock });
    const { fake, alice, bob } = bot;
    const png = await readFile(pngFixture);
    const files = [fake.file("boat.png", png, "image/png")];
    const message = fake.userMessage(alice, `<@${fake.botUserId}> the boat sails`, { files });
    await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
    const parent = await waitForJob(bot.store, (job) => job.state === "delivered", "the first");
    const original = parent.request.startImage;
    expect(original?.sourceUrl).toBe(files[0]?.url_private_download);
    expect(original?.expiresAt).toBe(Math.floor((clock + hour) / 1000) * 1000);

    clock += 2 * hour;
    const result = fake.messages.find(
      (posted) => posted.files && posted.text.includes(`Job \`${parent.id}\``),
    );
    if (!result) throw new Error("no result message");
    await fake.send("event", eventEnvelope(fake, reactionEvent(bob, "repeat", result)));
    const child = await waitForJob(
      bot.store,
      (job) => job.parentJobId === parent.id && job.state === "delivered",
      "the regenerated video",
    );
    const renewed = child.request.startImage;
    expect(renewed?.url).not.toBe(original?.url);
    expect(renewed?.url.startsWith(`${bot.baseUrl}/media/`)).toBe(true);
    expect(renewed).toMatchObject({
      sourceUrl: original?.sourceUrl,
      fileName: "boat.png",
      expiresAt: Math.floor((clock + hour) / 1000) * 1000,
    });
    expect(bot.provider.submits.at(-1)?.request.startImage?.url).toBe(renewed?.url);
  });
});
