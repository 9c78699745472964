import type { APIMessage } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import {
  buttonClick,
  modalSubmit,
  reactionAdd,
  slashCommand,
  userMessage,
} from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  jsonOf,
  startBot,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

async function start(options: Parameters<typeof startBot>[0] = {}): Promise<Bot> {
  const bot = await startBot(options);
  bots.push(bot);
  return bot;
}

/** The bot's message carrying the video of the `index`th upload. */
function resultMessages(fake: FakeDiscord): APIMessage[] {
  return [...fake.messages.values()].filter(
    (message) =>
      message.author.id === fake.botUser.id &&
      message.attachments.some((file) => file.filename.endsWith(".mp4")),
  );
}

function cardOf(fake: FakeDiscord, jobId: string): APIMessage | undefined {
  return [...fake.messages.values()].find((message) =>
    message.embeds[0]?.footer?.text?.startsWith(`Job ${jobId} `),
  );
}

describe("reactions and buttons", () => {
  it("🔁 on a result regenerates with a new seed for the reacting user, answered under the result", async () => {
    const bot = await start();
    const { fake, alice, bob } = bot;
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a paper boat --seed 5`,
      mentionsBot: true,
    });
    await waitForUploads(fake, 1);
    const [result] = resultMessages(fake);
    if (!result) throw new Error("no result");

    reactionAdd(fake, result, "🔁", bob);
    const [, second] = await waitForUploads(fake, 2);
    const [parentSubmit, childSubmit] = bot.provider.submits;
    expect(childSubmit?.request.prompt).toBe("a paper boat");
    expect(childSubmit?.request.seed).not.toBe(parentSubmit?.request.seed);
    const child = await waitForJob(
      bot.store,
      (job) => job.parentJobId !== undefined,
      "the regenerated job",
    );
    expect(child.origin.userId).toBe(bob.id);
    expect(jsonOf(second ?? ({} as never))).toMatchObject({
      message_reference: { message_id: result.id },
      allowed_mentions: { users: [bob.id] },
    });
  });

  it("❌ by the requester cancels a pending job at the provider, also after the Discord client restarted; others' ❌ does nothing", async () => {
    const bot = await start({ delayMs: 60_000 });
    const { fake, alice, bob } = bot;
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a long voyage`,
      mentionsBot: true,
    });
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.providerJobId !== undefined,
      "a pending job",
    );
    await waitUntil(() => cardOf(fake, job.id) !== undefined, { message: "the status card" });
    const card = cardOf(fake, job.id) as APIMessage;

    reactionAdd(fake, card, "❌", bob);
    await bot.restartDiscord();
    reactionAdd(fake, card, "❌", alice);
    await waitUntil(() => bot.provider.cancels.length > 0, { message: "a cancel at the provider" });
    expect(bot.provider.cancels).toEqual([job.providerJobId]);
    await waitUntil(() => cardTitle(fake, card.id) === "🚫 Cancelled", {
      message: "the card to say cancelled",
    });
    expect((await bot.store.get(job.id))?.state).toBe("cancelled");
  });

  it("Regenerate, Remix and Cancel buttons act on the job named in custom_id", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    slashCommand(
      fake,
      "video",
      { prompt: "a lighthouse at night --ar 16:9 --dur 6" },
      { user: alice },
    );
    await waitForUploads(fake, 1);
    const [result] = resultMessages(fake);
    if (!result) throw new Error("no result");
    const row = result.components?.[0] as { components: Array<{ custom_id: string }> } | undefined;
    const [regenerate, remix] = row?.components ?? [];
    const parent = await waitForJob(bot.store, () => true, "the first job");
    expect(regenerate?.custom_id).toBe(`regenerate:${parent.id}`);
    expect(remix?.custom_id).toBe(`remix:${parent.id}`);

    const click = buttonClick(fake, `regenerate:${parent.id}`, result, { user: alice });
    expect(jsonOf(await callbackOf(fake, click.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 2);

    const remixClick = buttonClick(fake, `remix:${parent.id}`, result, { user: alice });
    const form = jsonOf(await callbackOf(fake, remixClick.id));
    expect(form).toMatchObject({ type: 9, data: { custom_id: `remix:${parent.id}` } });
    const field = JSON.stringify(form);
    expect(field).toContain("a lighthouse at night --ar 16:9 --dur 6");
    const submitted = modalSubmit(
      fake,
      `remix:${parent.id}`,
      { prompt: "a lighthouse in a storm --ar 9:16 --res 480p" },
      { user: alice },
    );
    expect(jsonOf(await callbackOf(fake, submitted.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 3);
    expect(bot.provider.submits[2]?.request).toMatchObject({
      prompt: "a lighthouse in a storm",
      aspectRatio: "9:16",
      resolution: "480p",
    });
    expect(bot.provider.submits[2]?.request.duration).toBeUndefined();
    const remixed = await waitForJob(
      bot.store,
      (job) => job.request.prompt === "a lighthouse in a storm",
      "the remix",
    );
    expect(remixed.parentJobId).toBe(parent.id);
  });

  it("Remix of a prompt longer than one text input shows it whole over two boxes, and remixes it whole", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const longPrompt = Array.from({ length: 400 }, (_, index) => `lighthouse${index % 10}`).join(
      " ",
    );
    expect(longPrompt.length).toBeGreaterThan(4000);
    slashCommand(fake, "video", { prompt: `${longPrompt} --dur 6` }, { user: alice });
    await waitForUploads(fake, 1);
    const [result] = resultMessages(fake);
    if (!result) throw new Error("no result");
    const parent = await waitForJob(bot.store, () => true, "the first job");

    const remixClick = buttonClick(fake, `remix:${parent.id}`, result, { user: alice });
    const form = jsonOf(await callbackOf(fake, remixClick.id)) as {
      data: {
        components: Array<{ label: string; component: { custom_id: string; value: string } }>;
      };
    };
    const boxes = form.data.components;
    expect(boxes.map((box) => box.label)).toEqual([
      "Prompt and settings (1 of 2)",
      "Prompt and settings (2 of 2)",
    ]);
    for (const box of boxes) expect(box.component.value.length).toBeLessThanOrEqual(4000);
    expect(boxes.map((box) => box.component.value).join(" ")).toBe(`${longPrompt} --dur 6`);

    const [first, second] = boxes.map((box) => box.component);
    const submitted = modalSubmit(
      fake,
      `remix:${parent.id}`,
      {
        [first?.custom_id ?? ""]: first?.value ?? "",
        [second?.custom_id ?? ""]: (second?.value ?? "").replace("--dur 6", "--dur 4"),
      },
      { user: alice },
    );
    expect(jsonOf(await callbackOf(fake, submitted.id))).toMatchObject({ type: 5 });
    const remixed = await waitForJob(
      bot.store,
      (job) => job.parentJobId === parent.id,
      "the remix",
    );
    expect(remixed.request).toMatchObject({ prompt: longPrompt, duration: 4 });
  });

  it("a button for a job that does not exist answers privately and removes the placeholder", async () => {
    const bot = await start();
    const { fake, alice } = bot;
    const stray = userMessage(fake, { author: alice, content: "hello" });
    const click = buttonClick(fake, "regenerate:nope1234", stray, { user: alice });
    expect(jsonOf(await callbackOf(fake, click.id))).toMatchObject({ type: 5 });
    const followUp = await fake.waitForCall(
      (call) =>
        call.method === "POST" && call.path === `/webhooks/${fake.applicationId}/token-${click.id}`,
    );
    expect(jsonOf(followUp)).toMatchObject({
      flags: 64,
      content: "No job nope1234; use /jobs to see yours.",
    });
    expect(
      fake.callsTo("DELETE", new RegExp(`token-${click.id}/messages/@original$`)),
    ).toHaveLength(1);
    expect(bot.provider.submits).toEqual([]);
  });

  it("the Cancel button on a status card cancels privately", async () => {
    const bot = await start({ delayMs: 60_000 });
    const { fake, alice } = bot;
    const asked = slashCommand(fake, "video", { prompt: "an endless staircase" }, { user: alice });
    const job = await waitForJob(
      bot.store,
      (candidate) => candidate.providerJobId !== undefined,
      "a pending job",
    );
    const cardId = fake.interactions.get(`token-${asked.id}`)?.originalMessageId ?? "";
    await waitUntil(() => (fake.messages.get(cardId)?.components?.length ?? 0) > 0, {
      message: "the Cancel button",
    });
    const card = fake.messages.get(cardId) as APIMessage;
    expect(JSON.stringify(card.components)).toContain(`cancel:${job.id}`);

    const click = buttonClick(fake, `cancel:${job.id}`, card, { user: alice });
    expect(jsonOf(await callbackOf(fake, click.id))).toMatchObject({
      type: 5,
      data: { flags: 64 },
    });
    await waitUntil(() => cardTitle(fake, cardId) === "🚫 Cancelled", {
      message: "the card to say cancelled",
    });
    expect(bot.provider.cancels).toEqual([job.providerJobId]);
  });

  it("after a full restart (new service, new client, same store), 🔁 and Regenerate on an old result still work", async () => {
    const first = await start();
    const { fake, store, alice, bob } = first;
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> a snow globe`,
      mentionsBot: true,
    });
    await waitForUploads(fake, 1);
    const [result] = resultMessages(fake);
    if (!result) throw new Error("no result");
    const parent = await waitForJob(store, (job) => job.state === "delivered", "the delivered job");
    await first.stop(false);
    bots.splice(bots.indexOf(first), 1);

    const second = await start({ fake, store });
    reactionAdd(fake, result, "🔁", bob);
    await waitForUploads(fake, 2);
    const click = buttonClick(fake, `regenerate:${parent.id}`, result, { user: alice });
    expect(jsonOf(await callbackOf(fake, click.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 3);
    expect(second.provider.submits.map((submit) => submit.request.prompt)).toEqual([
      "a snow globe",
      "a snow globe",
    ]);
    // The reaction arrived for a message the new client had never seen: it was fetched by id.
    expect(
      fake.callsTo("GET", new RegExp(`/channels/${fake.channelId}/messages/${result.id}$`)),
    ).not.toHaveLength(0);
  });
});
