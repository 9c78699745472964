import type { APIMessage } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { buttonClick, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import {
  type Bot,
  callbackOf,
  ephemeralTexts,
  jsonOf,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function start(): Promise<Bot> {
  const bot = await startBot();
  bots.push(bot);
  return bot;
}

function resultMessages(fake: FakeDiscord): APIMessage[] {
  return [...fake.messages.values()].filter(
    (message) =>
      message.author.id === fake.botUser.id &&
      message.attachments.some((file) => file.filename.endsWith(".mp4")),
  );
}

function customIdsOf(message: APIMessage | undefined): string[] {
  const rows = (message?.components ?? []) as Array<{ components: Array<{ custom_id: string }> }>;
  return rows.flatMap((row) => row.components.map((component) => component.custom_id));
}

describe("Discord: Upscale", () => {
  it("Upscale sends the same prompt and seed at the model's highest resolution, costed on the card, delivered once in the thread", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a red fox in snow --seed 42" }, { user: alice });
    await waitForUploads(fake, 1);
    const first = await waitForJob(bot.store, (job) => job.state === "delivered", "the clip");
    const [firstResult] = resultMessages(fake);
    expect(customIdsOf(firstResult)).toContain(`upscale:${first.id}`);

    const click = buttonClick(fake, `upscale:${first.id}`, firstResult as APIMessage, {
      user: alice,
    });
    expect(jsonOf(await callbackOf(fake, click.id))).toMatchObject({ type: 5 });
    const [, upscaledUpload] = await waitForUploads(fake, 2);
    const upscaled = await waitForJob(
      bot.store,
      (job) => job.upscaleOf === first.id && job.state === "delivered",
      "the upscaled clip",
    );
    expect(upscaled.parentJobId).toBe(first.id);
    const submitted = bot.provider.submits[1]?.request;
    expect(submitted).toMatchObject({ prompt: "a red fox in snow", seed: 42, resolution: "4k" });
    expect(bot.provider.submits[0]?.request.seed).toBe(42);
    // The new job's card (this click's answer) shows the resolution and the cost before it started.
    const card = fake.calls.find((call) =>
      call.path.startsWith(`/webhooks/${fake.applicationId}/${click.token}/`),
    );
    const firstCard = JSON.stringify(card?.json);
    expect(firstCard).toContain("4k");
    expect(firstCard).toMatch(/Cost estimate/);
    expect(upscaledUpload?.path).toBe(uploads(fake)[0]?.path);
    expect(uploads(fake)).toHaveLength(2);
    // At the highest resolution already: no Upscale button on the upscaled result.
    expect(customIdsOf(resultMessages(fake)[1])).not.toContain(`upscale:${upscaled.id}`);
  });

  it("a result at the highest resolution has no Upscale button, and a click that arrives anyway says so", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a tall tree --res 4k" }, { user: alice });
    await waitForUploads(fake, 1);
    const job = await waitForJob(bot.store, (candidate) => candidate.state === "delivered", "it");
    const [result] = resultMessages(fake);
    expect(customIdsOf(result)).not.toContain(`upscale:${job.id}`);
    const click = buttonClick(fake, `upscale:${job.id}`, result as APIMessage, { user: alice });
    await callbackOf(fake, click.id);
    await fake.waitForCall(
      (call) =>
        ephemeralTexts([call]).some((text) => /already at 4k, the highest resolution/.test(text)),
      { description: "the refusal" },
    );
    expect(bot.provider.submits).toHaveLength(1);
    expect(uploads(fake)).toHaveLength(1);
  });
});
