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
});
