import { afterEach, describe, expect, it } from "vitest";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  callbackOf,
  cardTitle,
  channelPosts,
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

const ephemeralFlag = 64;

describe("Discord private mode", () => {
  it("/video --private: an ephemeral card, the MP4 once in the requester's DM, nothing in the channel", async () => {
    bot = await startBot();
    const { fake, alice, store } = bot;
    const { id } = slashCommand(
      fake,
      "video",
      { prompt: "a quiet harbour --private" },
      { user: alice },
    );

    const callback = await callbackOf(fake, id);
    const data = (jsonOf(callback).data ?? {}) as { flags?: number };
    expect((data.flags ?? 0) & ephemeralFlag).toBe(ephemeralFlag);

    const job = await waitForJob(store, (candidate) => candidate.state === "delivered", "delivery");
    expect(await store.listByUser("discord", alice.id, 10)).toHaveLength(1);
    expect(job.origin.private).toBe(true);
    expect(job.request.prompt).toBe("a quiet harbour");

    const directChannel = fake.directMessageChannels.get(alice.id);
    expect(directChannel).toBeDefined();
    const videos = uploads(fake);
    expect(videos.map((call) => call.path)).toEqual([`/channels/${directChannel}/messages`]);
    expect(videos[0]?.files[0]?.bytes.length).toBe(job.videoBytes);
    expect(videos[0]?.files.filter((file) => file.contentType === "video/mp4")).toHaveLength(1);
    // Nothing at all is posted in the guild's channel or thread: the card is the ephemeral reply.
    expect(
      channelPosts(fake).filter((call) => call.path !== `/channels/${directChannel}/messages`),
    ).toEqual([]);
    await waitUntil(() => cardTitle(fake, job.statusMessageId ?? "") !== undefined, {
      message: "the ephemeral card",
    });
    const card = fake.messages.get(job.statusMessageId ?? "");
    expect(card?.channel_id).toBe(fake.channelId);
    expect((card?.flags ?? 0) & ephemeralFlag).toBe(ephemeralFlag);
  });

  it("the private option on /video does the same", async () => {
    bot = await startBot();
    const { fake, alice, store } = bot;
    slashCommand(fake, "video", { prompt: "a lighthouse", private: true }, { user: alice });
    await waitForJob(store, (candidate) => candidate.state === "delivered", "private delivery");
    const directChannel = fake.directMessageChannels.get(alice.id);
    expect(uploads(fake).map((call) => call.path)).toEqual([`/channels/${directChannel}/messages`]);
  });

  it("restarted mid-delivery after Discord took the DM upload: the new process finds it in the DM and posts nothing", async () => {
    const settings = { deliveryBackoffMs: { initialMs: 60_000, maxMs: 60_000 } };
    bot = await startBot({ settings });
    const { fake, store, alice } = bot;
    const channelMessages = /^\/channels\/\d+\/messages$/;
    // The only channel post of a private job is the video in the DM; Discord takes it, the answer is lost.
    fake.failNext(
      "POST",
      channelMessages,
      503,
      { message: "upstream trouble", code: 0 },
      {
        afterApplying: true,
      },
    );
    slashCommand(fake, "video", { prompt: "a paper boat --private" }, { user: alice });
    const stalled = await waitForJob(store, (found) => found.attempts === 1, "a lost upload");
    expect(stalled.state).toBe("delivering");
    await bot.stop(false);

    bot = await startBot({ fake, store });
    const job = await waitForJob(store, (found) => found.state === "delivered", "delivery");
    const directChannel = fake.directMessageChannels.get(alice.id);
    expect(uploads(fake).map((call) => [call.path, call.status])).toEqual([
      [`/channels/${directChannel}/messages`, 503],
    ]);
    const results = [...fake.messages.values()].filter(
      (message) =>
        message.attachments.length > 0 &&
        JSON.stringify(message.components).includes(`regenerate:${job.id}`),
    );
    expect(results.map((message) => message.channel_id)).toEqual([directChannel]);
    // The restarted process has no token for the ephemeral card, and puts no card in the channel
    // (stopped first, so that every status call it made has finished).
    await bot.stop();
    bot = undefined;
    expect(channelPosts(fake).map((call) => call.path)).toEqual([
      `/channels/${directChannel}/messages`,
    ]);
    expect(fake.callsTo("GET", channelMessages).map((call) => call.path)).toEqual([
      `/channels/${directChannel}/messages`,
    ]);
  });

  it("a requester whose direct messages are closed (50007) is told how to open them, on the private card", async () => {
    bot = await startBot();
    const { fake, store, alice } = bot;
    fake.failNext("POST", /^\/channels\/\d+\/messages$/, 403, {
      message: "Cannot send messages to this user",
      code: 50007,
    });
    slashCommand(fake, "video", { prompt: "a paper lantern --private" }, { user: alice });
    const job = await waitForJob(store, (found) => found.state === "delivery_failed", "refused DM");
    // Not retried: Discord's answer will not change until the user changes the setting.
    expect(job.attempts).toBe(1);
    expect(job.error).toContain("Turn on Direct Messages in the server's Privacy Settings");
    expect(job.error).not.toContain("Cannot send messages to this user");
    await waitUntil(
      () =>
        JSON.stringify(fake.messages.get(job.statusMessageId ?? "")?.embeds ?? []).includes(
          "Privacy Settings",
        ),
      { message: "the private card tells the requester what to change" },
    );
  });
});
