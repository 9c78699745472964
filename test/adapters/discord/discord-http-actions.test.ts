import type { APIMessage } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { interactionKeyPair, signatureHeaders } from "../../fakes/fake-discord-http.ts";
import { autocomplete, buttonClick, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  jsonOf,
  startBot,
  uploads,
  waitForJob,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** A pending job asked with /video over HTTP, and its card (the interaction's original response). */
async function pendingJob(started: Bot, prompt: string) {
  const { fake, alice } = started;
  const asked = slashCommand(fake, "video", { prompt }, { user: alice });
  const job = await waitForJob(
    started.store,
    (candidate) => candidate.providerJobId !== undefined,
    "a pending job",
  );
  const cardId = () => fake.interactions.get(`token-${asked.id}`)?.originalMessageId ?? "";
  await waitUntil(() => (fake.messages.get(cardId())?.components?.length ?? 0) > 0, {
    message: "the card's Cancel button",
  });
  return { job, card: fake.messages.get(cardId()) as APIMessage };
}

describe("Discord over HTTP only (DISCORD_GATEWAY=false): Cancel, autocomplete, refusals", () => {
  it("the Cancel button over HTTP: a private deferred answer, the job cancelled at the provider, no video", async () => {
    bot = await startBot({ http: true, gateway: false, delayMs: 60_000 });
    const { fake, alice } = bot;
    const { job, card } = await pendingJob(bot, "an endless staircase");
    expect(JSON.stringify(card.components)).toContain(`cancel:${job.id}`);

    const click = buttonClick(fake, `cancel:${job.id}`, card, { user: alice });
    await click.sent;
    expect(fake.endpointAnswers.find((answer) => answer.id === click.id)).toEqual({
      id: click.id,
      status: 200,
      body: { type: 5, data: { flags: 64 } },
    });
    const edited = await fake.waitForCall(
      (call) => call.method === "PATCH" && call.path.includes(`token-${click.id}`),
    );
    expect(jsonOf(edited).content).toBe(`Cancelled job \`${job.id}\`.`);
    await waitUntil(() => cardTitle(fake, card.id) === "🚫 Cancelled", {
      message: "the card to say cancelled",
    });
    expect(bot.provider.cancels).toEqual([job.providerJobId]);
    expect((await bot.store.get(job.id))?.state).toBe("cancelled");
    expect(uploads(fake)).toEqual([]);
    expect(fake.identifyPayloads).toEqual([]);
  });

  it("someone else's Cancel over HTTP is refused privately and cancels nothing", async () => {
    bot = await startBot({ http: true, gateway: false, delayMs: 60_000 });
    const { fake, bob } = bot;
    const { job, card } = await pendingJob(bot, "a staircase for alice");

    const click = buttonClick(fake, `cancel:${job.id}`, card, { user: bob });
    await fake.waitForCall(
      (call) => call.method === "PATCH" && call.path.includes(`token-${click.id}`),
    );
    expect(fake.endpointAnswers.find((answer) => answer.id === click.id)?.body).toEqual({
      type: 5,
      data: { flags: 64 },
    });
    const refusal = fake.callsTo("PATCH", new RegExp(`token-${click.id}`));
    expect(refusal.map((call) => jsonOf(call).content)).toEqual([
      expect.stringMatching(/Only the person who asked/),
    ]);
    expect(bot.provider.cancels).toEqual([]);
    expect((await bot.store.get(job.id))?.state).not.toBe("cancelled");
  });

  it("autocomplete over HTTP: the choices are the HTTP answer (type 8), only the user's pending jobs", async () => {
    bot = await startBot({ http: true, gateway: false, delayMs: 60_000 });
    const { fake, alice, bob } = bot;
    const { job } = await pendingJob(bot, "a slow sunrise");
    const current = await bot.store.get(job.id);

    const typed = autocomplete(fake, "cancel", "job", "sunrise", { user: alice });
    await typed.sent;
    const others = autocomplete(fake, "cancel", "job", "", { user: bob });
    await others.sent;
    const answersTo = [typed.id, others.id];
    expect(fake.endpointAnswers.filter((answer) => answersTo.includes(answer.id))).toEqual([
      {
        id: typed.id,
        status: 200,
        body: {
          type: 8,
          data: { choices: [{ name: `a slow sunrise (${current?.state})`, value: job.id }] },
        },
      },
      { id: others.id, status: 200, body: { type: 8, data: { choices: [] } } },
    ]);
    // Answered in the HTTP response only (recorded once, as a callback): no REST callback besides.
    expect(jsonOf(await callbackOf(fake, typed.id)).type).toBe(8);
    for (const id of answersTo) {
      expect(fake.callsTo("POST", new RegExp(`^/interactions/${id}/`))).toHaveLength(1);
    }
  });

  it("a /video signed with another key, or signed 10 minutes ago, is refused with 401 and starts nothing", async () => {
    bot = await startBot({ http: true, gateway: false });
    const { fake, alice } = bot;
    const endpoint = bot.endpoint;
    if (!endpoint) throw new Error("no endpoint");
    const payload = {
      id: fake.snowflake(),
      application_id: fake.applicationId,
      token: "token-forged",
      type: 2,
      channel_id: fake.channelId,
      guild_id: fake.guildId,
      member: { user: alice, roles: [], permissions: "0" },
      data: {
        id: fake.snowflake(),
        name: "video",
        type: 1,
        options: [{ name: "prompt", type: 3, value: "forged" }],
      },
    };
    const body = JSON.stringify(payload);
    const send = (headers: Record<string, string>) =>
      fetch(endpoint.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const stale = String(Math.floor((Date.now() - 10 * 60_000) / 1000));
    const answers = await Promise.all([
      send(signatureHeaders(interactionKeyPair().privateKey, body)),
      send(signatureHeaders(endpoint.privateKey, body, stale)),
      send({}),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
    expect(await bot.store.listByUser("discord", alice.id, 10)).toEqual([]);
    expect(bot.provider.submits).toEqual([]);
    expect(fake.callsTo("POST", /^\/interactions\//)).toEqual([]);
    expect(fake.callsTo("PATCH", /^\/webhooks\//)).toEqual([]);
  });
});
