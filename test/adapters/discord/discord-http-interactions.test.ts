import type { APIMessage } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeDiscord } from "../../fakes/fake-discord.ts";
import { signatureHeaders } from "../../fakes/fake-discord-http.ts";
import {
  buttonClick,
  messageMenu,
  modalSubmit,
  slashCommand,
  userMessage,
} from "../../fakes/fake-discord-payloads.ts";
import {
  type Bot,
  callbackOf,
  jsonOf,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const png = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

function endpointOf(started: Bot) {
  if (!started.endpoint) throw new Error("the bot has no interactions endpoint");
  return started.endpoint;
}

function post(url: string, body: string, headers: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

function resultMessages(fake: FakeDiscord): APIMessage[] {
  return [...fake.messages.values()].filter(
    (message) =>
      message.author.id === fake.botUser.id &&
      message.attachments.some((file) => file.filename.endsWith(".mp4")),
  );
}

/** No gateway: neither the gateway URL was asked for nor an IDENTIFY sent. */
function gatewayUntouched(fake: FakeDiscord): void {
  expect(fake.identifyPayloads).toEqual([]);
  expect(fake.callsTo("GET", /^\/gateway/)).toEqual([]);
}

describe("Discord interactions over HTTP (POST /discord/interactions, signed with Ed25519)", () => {
  it("a signed PING is answered with PONG", async () => {
    bot = await startBot({ http: true, gateway: false });
    const { url, privateKey } = endpointOf(bot);
    const body = JSON.stringify({ id: "1", type: 1, application_id: bot.fake.applicationId });
    const response = await post(url, body, signatureHeaders(privateKey, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  it("a wrong signature, a tampered body or no signature is refused with 401, and nothing runs", async () => {
    bot = await startBot({ http: true, gateway: false });
    const { url, privateKey } = endpointOf(bot);
    const body = JSON.stringify({ id: "1", type: 1 });
    const headers = signatureHeaders(privateKey, body);
    const tampered = body.replace('"1"', '"2"');
    const flipped = `${headers["x-signature-ed25519"]?.startsWith("0") ? "1" : "0"}${headers["x-signature-ed25519"]?.slice(1)}`;
    const answers = await Promise.all([
      post(url, tampered, headers),
      post(url, body, { ...headers, "x-signature-ed25519": flipped }),
      post(url, body, { ...headers, "x-signature-timestamp": "1" }),
      post(url, body, {}),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
  });

  it("a body over the limit is refused without being read whole", async () => {
    bot = await startBot({ http: true, gateway: false });
    const { url, privateKey } = endpointOf(bot);
    const body = JSON.stringify({ id: "1", type: 1, padding: "x".repeat(300 * 1024) });
    const response = await post(url, body, signatureHeaders(privateKey, body));
    expect(response.status).toBe(413);
  });

  it("/video over HTTP without a gateway: deferred as the HTTP answer, then the MP4 in the channel exactly once", async () => {
    bot = await startBot({ http: true, gateway: false });
    const { fake, alice } = bot;
    const { id } = slashCommand(fake, "video", { prompt: "a fox in snow" }, { user: alice });

    const callback = await callbackOf(fake, id);
    expect(jsonOf(callback)).toMatchObject({ type: 5 });
    expect(fake.endpointAnswers).toEqual([
      { id, status: 200, body: { type: 5, data: { flags: 0 } } },
    ]);
    const [upload] = await waitForUploads(fake, 1);
    await waitForJob(bot.store, (job) => job.state === "delivered", "the delivered job");
    expect(upload?.path).toBe(`/channels/${fake.channelId}/messages`);
    expect(bot.provider.submits).toHaveLength(1);
    expect(bot.provider.submits[0]?.request).toMatchObject({ prompt: "a fox in snow" });
    expect(uploads(fake)).toHaveLength(1);
    // Answered once: no REST callback besides the HTTP answer.
    expect(fake.callsTo("POST", /^\/interactions\//).filter((call) => call.status !== 200)).toEqual(
      [],
    );
    gatewayUntouched(fake);
  });

  it("buttons and forms over HTTP: Regenerate defers, Remix opens a form (type 9), its submit makes the video", async () => {
    bot = await startBot({ http: true, gateway: false });
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a lighthouse at night --dur 6" }, { user: alice });
    await waitForUploads(fake, 1);
    const [result] = resultMessages(fake);
    if (!result) throw new Error("no result");
    const parent = await waitForJob(bot.store, (job) => job.state === "delivered", "the job");

    const click = buttonClick(fake, `regenerate:${parent.id}`, result, { user: alice });
    expect(jsonOf(await callbackOf(fake, click.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 2);

    const remix = buttonClick(fake, `remix:${parent.id}`, result, { user: alice });
    const form = jsonOf(await callbackOf(fake, remix.id));
    expect(form).toMatchObject({ type: 9, data: { custom_id: `remix:${parent.id}` } });
    const submitted = modalSubmit(
      fake,
      `remix:${parent.id}`,
      { prompt: "a lighthouse in a storm --res 480p" },
      { user: alice },
    );
    expect(jsonOf(await callbackOf(fake, submitted.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 3);
    expect(bot.provider.submits[2]?.request).toMatchObject({
      prompt: "a lighthouse in a storm",
      resolution: "480p",
    });
    expect(uploads(fake)).toHaveLength(3);
    gatewayUntouched(fake);
  });

  it("the Animate context menu over HTTP: the form is the HTTP answer, its submit animates the message's image", async () => {
    bot = await startBot({ http: true });
    const { fake, alice, bob } = bot;
    const start = fake.attachment("start.png", png, "image/png");
    const target = userMessage(fake, { author: bob, content: "a frame", attachments: [start] });

    const menu = messageMenu(fake, "Animate", target, { user: alice });
    expect(jsonOf(await callbackOf(fake, menu.id))).toMatchObject({
      type: 9,
      data: { custom_id: `animate:${menu.id}` },
    });
    const submitted = modalSubmit(
      fake,
      `animate:${menu.id}`,
      { prompt: "petals fall --fast" },
      { user: alice },
    );
    expect(jsonOf(await callbackOf(fake, submitted.id))).toMatchObject({ type: 5 });
    await waitForUploads(fake, 1);
    expect(bot.provider.submits[0]?.request).toMatchObject({
      prompt: "petals fall",
      startImage: { url: start.url },
    });
    // The gateway stays on for mentions and reactions.
    expect(fake.identifyPayloads).toHaveLength(1);
  });
});
