import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Bot,
  startBot,
  uploads,
  waitForUploads,
} from "../adapters/discord/discord-harness.ts";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { waitForUploads as waitForSlackUploads } from "../adapters/slack/slack-views.ts";
import { slashCommand, userMessage } from "../fakes/fake-discord-payloads.ts";
import { eventEnvelope, mentionEvent } from "../fakes/fake-slack-payloads.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";
import { png } from "./support/hostile-media.ts";
import { startLoopbackTrap } from "./support/loopback-trap.ts";

let trap: Awaited<ReturnType<typeof startLoopbackTrap>>;
beforeAll(async () => {
  trap = await startLoopbackTrap();
});
afterAll(async () => {
  await trap.close();
});

const typed = () => `a city at night, style of ${trap.urls.join(" and ")} --dur 4`;

describe("URLs to private, loopback and link-local addresses: the bot never requests them", () => {
  let discord: Bot;
  beforeAll(async () => {
    discord = await startBot();
  });
  afterAll(async () => {
    await discord.stop();
  });

  it("Discord: typed in a /video prompt, they stay words of the prompt", async () => {
    const before = uploads(discord.fake).length;
    slashCommand(discord.fake, "video", { prompt: typed() }, { user: discord.alice });
    await waitForUploads(discord.fake, before + 1);
    const sent = discord.provider.submits.at(-1)?.request;
    expect(sent).toMatchObject({ mode: "text", referenceImages: [] });
    expect(sent?.prompt).toContain(trap.urls[0]);
    expect(trap.hits).toEqual([]);
  });

  it("Discord: as an attachment's URL, it is handed on, never fetched by the bot", async () => {
    const { fake, alice } = discord;
    const before = uploads(fake).length;
    const image = {
      ...fake.attachment("x.png", png, "image/png"),
      url: trap.urls[0] ?? "",
      proxy_url: trap.urls[1] ?? "",
    };
    userMessage(fake, {
      author: alice,
      content: `<@${fake.botUser.id}> zoom ${trap.urls[2]}`,
      attachments: [image],
      mentionsBot: true,
    });
    await waitForUploads(fake, before + 1);
    expect(discord.provider.submits.at(-1)?.request.startImage?.url).toBe(trap.urls[0]);
    expect(trap.hits).toEqual([]);
  });

  it("Slack: typed in a mention (as Slack link markup) and as a file URL outside Slack", async () => {
    const slack: SlackBot = await startSlackBot();
    try {
      const { fake, alice } = slack;
      const links = trap.urls.map((url) => `<${url}>`).join(" ");
      const plain = fake.userMessage(alice, `<@${fake.botUserId}> ${links}`);
      await fake.send("event", eventEnvelope(fake, mentionEvent(fake, plain)));
      const outside = {
        ...fake.file("x.png", png, "image/png"),
        url_private: trap.urls[0] ?? "",
        url_private_download: trap.urls[1] ?? "",
      };
      const withFile = fake.userMessage(alice, `<@${fake.botUserId}> zoom`, { files: [outside] });
      await fake.send("event", eventEnvelope(fake, mentionEvent(fake, withFile)));
      await waitForSlackUploads(fake, 2);
      // The bot token goes to Slack's file host only; this URL got neither the token nor a request.
      expect(trap.hits).toEqual([]);
    } finally {
      await slack.stop();
    }
  });

  it("Playground: in a message, as a file name, and as the job a message replies to", async () => {
    const stack: PlaygroundStack = await startPlaygroundStack({ delayMs: 40 });
    try {
      const client = new PlaygroundClient(stack.baseUrl);
      const events = await client.events();
      const threadId = clientId();
      await client.sendMessage(threadId, `/video ${typed()}`);
      const named = await client.upload(png, trap.urls[0] ?? "");
      expect(named.body.attachment).toMatchObject({ fileName: "secret.png" });
      const replied = await client.sendMessage(threadId, "again", {
        replyToJobId: trap.urls[1]?.slice(0, 60),
      });
      expect(replied.status).toBe(422);
      await waitUntil(() => events.cards(threadId).some((card) => card.phase === "done"), {
        message: "the video",
      });
      events.close();
      expect(trap.hits).toEqual([]);
    } finally {
      await stack.close();
    }
  });

  it("Oxen provider: an image URL is sent to the hub as data; the bot's own HTTP client never opens it", async () => {
    const harness = await createHarness();
    try {
      const { service } = await harness.boot();
      const job = await service.submit(
        { mode: "image", prompt: `zoom ${trap.urls[3]}`, startImage: { url: trap.urls[0] ?? "" } },
        origin,
      );
      harness.fake.complete(job.providerJobId ?? "");
      await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
      const create = harness.fake.requests.find((request) => request.method === "POST");
      expect(create?.body).toMatchObject({ input_image: trap.urls[0] });
      expect(trap.hits).toEqual([]);
    } finally {
      await harness.close();
    }
  });
});
