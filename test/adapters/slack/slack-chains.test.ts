import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeFile } from "../../fakes/fake-slack.ts";
import {
  buttonClick,
  eventEnvelope,
  formValues,
  mentionEvent,
  stateValue,
  viewSubmission,
} from "../../fakes/fake-slack-payloads.ts";
import { lastFrameBytes } from "../../support/media-probe.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { pngFixture, type SlackBot, sampleVideo, startSlackBot } from "./slack-harness.ts";
import {
  cardOf,
  completedUploads,
  privateNotes,
  waitForJob,
  waitForUploads,
} from "./slack-views.ts";

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

/** The job's card once it carries the button. */
async function cardWith(bot: SlackBot, jobId: string, actionId: string) {
  await waitUntil(() => JSON.stringify(cardOf(bot.fake, jobId)?.blocks ?? []).includes(actionId), {
    message: `the ${actionId} button`,
  });
  const card = cardOf(bot.fake, jobId);
  if (!card) throw new Error("no card");
  return card;
}

describe("Slack: Extend and Stitch", () => {
  it("Extend from the card's button and form starts from the last frame, in the thread; Stitch posts one joined video", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const message = await mention(bot, "a lighthouse at dusk");
    await waitForUploads(fake, 1);
    const first = await waitForJob(bot.store, (job) => job.state === "delivered", "the clip");
    const firstCard = await cardWith(bot, first.id, `extend:${first.id}`);
    await fake.send("interactive", buttonClick(fake, alice, firstCard, `extend:${first.id}`));
    await waitUntil(() => fake.views.length === 1, { message: "the extend form" });
    const view = fake.views[0];
    if (!view) throw new Error("no view");
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"a lighthouse at dusk"');
    const values = formValues({ prompt: stateValue.text("the storm arrives") });
    await fake.send("interactive", viewSubmission(fake, alice, view, values));
    await waitForUploads(fake, 2);
    const second = await waitForJob(
      bot.store,
      (job) => job.extendsJobId === first.id && job.state === "delivered",
      "the extension",
    );
    expect(second.parentJobId).toBe(first.id);
    const startImage = bot.provider.submits[1]?.request.startImage;
    expect(bot.provider.submits[1]?.request).toMatchObject({
      mode: "image",
      prompt: "the storm arrives",
    });
    const framePath = bot.mediaHost?.resolveLocalPath(startImage?.url ?? "");
    expect(await readFile(framePath ?? "")).toEqual(lastFrameBytes(sampleVideo));
    expect(second.origin.threadId).toBe(message.ts);

    const secondCard = await cardWith(bot, second.id, `stitch:${second.id}`);
    await fake.send("interactive", buttonClick(fake, alice, secondCard, `stitch:${second.id}`));
    await waitForUploads(fake, 3);
    const stitched = await waitForJob(
      bot.store,
      (job) => job.stitchOf !== undefined && job.state === "delivered",
      "the stitched video",
    );
    expect(stitched.stitchOf).toEqual([first.id, second.id]);
    expect(completedUploads(fake)).toHaveLength(3);
    expect(bot.provider.submits).toHaveLength(2);
  });
});
