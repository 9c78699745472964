import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeFile } from "../../fakes/fake-slack.ts";
import { eventEnvelope, mentionEvent } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { pngFixture, type SlackBot, startSlackBot } from "./slack-harness.ts";
import { privateNotes, waitForJob, waitForUploads } from "./slack-views.ts";

const bots: SlackBot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function start(options: Parameters<typeof startSlackBot>[0] = {}): Promise<SlackBot> {
  const bot = await startSlackBot(options);
  bots.push(bot);
  return bot;
}

/** A user posts a message mentioning the bot; Slack sends the app_mention event. */
async function mention(
  current: SlackBot,
  text: string,
  options: { files?: FakeFile[]; threadTs?: string } = {},
) {
  const { fake, alice } = current;
  const message = fake.userMessage(alice, `<@${fake.botUserId}> ${text}`, options);
  await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
  return message;
}

describe("Slack: Loop", () => {
  it("a mention with an image and --loop sends the image as start and end frame", async () => {
    const bot = await start();
    const { fake } = bot;
    const image = fake.file("wave.png", await readFile(pngFixture), "image/png");
    await mention(bot, "the wave curls --loop", { files: [image] });
    await waitForUploads(fake, 1);
    const request = bot.provider.submits[0]?.request;
    expect(request?.prompt).toBe("the wave curls");
    expect(request?.startImage?.fileName).toBe("wave.png");
    expect(request?.endImage).toEqual(request?.startImage);
    await waitForJob(bot.store, (job) => job.state === "delivered", "delivered");
  });

  it("refuses --loop without an image, privately, and sends nothing", async () => {
    const bot = await start();
    await mention(bot, "a spinning top --loop");
    await waitUntil(() => privateNotes(bot.fake).length > 0, { message: "the refusal" });
    expect(privateNotes(bot.fake).join("\n")).toMatch(/--loop needs a start image/);
    expect(bot.provider.submits).toEqual([]);
  });
});
