import { afterEach, describe, expect, it } from "vitest";
import { buttonClick, eventEnvelope, mentionEvent } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
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

async function start(): Promise<SlackBot> {
  const bot = await startSlackBot();
  bots.push(bot);
  return bot;
}

async function mention(current: SlackBot, text: string) {
  const { fake, alice } = current;
  const message = fake.userMessage(alice, `<@${fake.botUserId}> ${text}`);
  await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
  return message;
}

async function deliveredCard(bot: SlackBot) {
  await waitForUploads(bot.fake, 1);
  const job = await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "done");
  await waitUntil(
    () => JSON.stringify(cardOf(bot.fake, job.id)?.blocks ?? []).includes("regenerate:"),
    {
      message: "the result buttons",
    },
  );
  const card = cardOf(bot.fake, job.id);
  if (!card) throw new Error("no card");
  return { job, card };
}

describe("Slack: Upscale", () => {
  it("Upscale on the card sends the same prompt and seed at the highest resolution, costed on its card, delivered once in the thread", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const message = await mention(bot, "a red fox in snow --seed 42");
    const { job: first, card } = await deliveredCard(bot);
    expect(JSON.stringify(card.blocks)).toContain(`upscale:${first.id}`);
    await fake.send("interactive", buttonClick(fake, alice, card, `upscale:${first.id}`));
    await waitForUploads(fake, 2);
    const upscaled = await waitForJob(
      bot.store,
      (job) => job.upscaleOf === first.id && job.state === "delivered",
      "the upscaled clip",
    );
    expect(upscaled.parentJobId).toBe(first.id);
    expect(upscaled.origin.threadId).toBe(message.ts);
    expect(bot.provider.submits[1]?.request).toMatchObject({
      prompt: "a red fox in snow",
      seed: 42,
      resolution: "4k",
    });
    // Its card was posted, with the resolution and the cost estimate, before the clip was made.
    const firstCard = fake.calls.find(
      (call) =>
        call.method === "chat.postMessage" && JSON.stringify(call.fields).includes(upscaled.id),
    );
    expect(JSON.stringify(firstCard?.fields)).toMatch(
      /4k[\s\S]*Cost estimate|Cost estimate[\s\S]*4k/,
    );
    expect(completedUploads(fake)).toHaveLength(2);
    expect(completedUploads(fake)[1]?.threadTs).toBe(message.ts);
    expect(JSON.stringify(cardOf(fake, upscaled.id)?.blocks)).not.toContain("upscale:");
  });

  it("a result at the highest resolution has no Upscale button; a click anyway is refused privately", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    await mention(bot, "a tall tree --res 4k");
    const { job, card } = await deliveredCard(bot);
    expect(JSON.stringify(card.blocks)).not.toContain("upscale:");
    await fake.send("interactive", buttonClick(fake, alice, card, `upscale:${job.id}`));
    await waitUntil(() => privateNotes(fake).length > 0, { message: "the refusal" });
    expect(privateNotes(fake).join("\n")).toMatch(/already at 4k, the highest resolution/);
    expect(bot.provider.submits).toHaveLength(1);
  });
});
