import type { APIAttachment } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bot, startBot, waitForUploads } from "../adapters/discord/discord-harness.ts";
import {
  messageMenu,
  modalSubmit,
  slashCommand,
  userMessage,
} from "../fakes/fake-discord-payloads.ts";
import {
  attachmentOf,
  expectNothingMade,
  privateAnswer,
  replyTo,
} from "./support/discord-answers.ts";
import { longPrompt, mp3, mp4, png } from "./support/hostile-media.ts";

let bot: Bot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot.stop();
});

const file = (name: string, bytes: Buffer, type?: string) => () =>
  attachmentOf(bot, name, bytes, type);

describe("bad input on Discord: mentions, answered in reply without pinging anyone", () => {
  const mention = (content: string, attachments: APIAttachment[] = []) =>
    userMessage(bot.fake, {
      author: bot.alice,
      content: `<@${bot.fake.botUser.id}> ${content}`,
      attachments,
      mentionsBot: true,
    });

  it.each<[string, string, () => APIAttachment[], RegExp]>([
    [
      "13 reference files",
      "all of them",
      () => [
        ...Array.from({ length: 9 }, (_, index) => file(`i${index}.png`, png, "image/png")()),
        ...Array.from({ length: 3 }, (_, index) => file(`v${index}.mp4`, mp4, "video/mp4")()),
        file("a.mp3", mp3, "audio/mpeg")(),
      ],
      /13 reference files attached; the limit is 12 across images, videos and audio/,
    ],
    [
      "@Image5 with two images",
      "@Image5 waves",
      () => [file("a.png", png, "image/png")(), file("b.png", png, "image/png")()],
      /mentions @Image5 but only @Image1–@Image2 exist/,
    ],
    [
      "audio alone",
      "sing along",
      () => [file("a.mp3", mp3, "audio/mpeg")()],
      /Audio needs at least one reference image or video/,
    ],
    ["nothing but the mention", "", () => [], /The prompt is empty/],
    [
      "a non-media attachment",
      "use this",
      () => [file("notes.txt", Buffer.from("x"), "text/plain")()],
      /Attachment notes\.txt is text\/plain; attach images/,
    ],
    [
      "@everyone as a flag value",
      "a cat --dur @everyone",
      () => [],
      /--dur @everyone is not valid; use 4–15 seconds or auto/,
    ],
  ])("%s", async (_name, text, files, pattern) => {
    const asked = mention(text, files());
    expect(await replyTo(bot, asked.id)).toMatch(pattern);
    await expectNothingMade(bot);
  });
});

describe("bad input on Discord: forms", () => {
  it("an Animate form carrying 5001 characters (Discord's own limit is 4000)", async () => {
    const { fake, alice } = bot;
    const target = userMessage(fake, {
      author: alice,
      content: "my drawing",
      attachments: [fake.attachment("d.png", png, "image/png")],
    });
    const menu = messageMenu(fake, "Animate", target, { user: alice });
    await fake.waitForCall((call) => call.path.startsWith(`/interactions/${menu.id}/`));
    const form = modalSubmit(fake, `animate:${menu.id}`, { prompt: longPrompt }, { user: alice });
    expect(await privateAnswer(bot, form.id)).toMatch(
      /The prompt is 5001 characters; the limit is 5000/,
    );
    await expectNothingMade(bot);
  });

  it("an Animate form this process never opened (expired, or forged)", async () => {
    const form = modalSubmit(bot.fake, "animate:123456", { prompt: "hi" }, { user: bot.alice });
    expect(await privateAnswer(bot, form.id)).toMatch(
      /This form has expired; use Animate on the message again/,
    );
    await expectNothingMade(bot);
  });

  it("a Remix form for a job that does not exist", async () => {
    const form = modalSubmit(bot.fake, "remix:nosuchjob", { prompt: "again" }, { user: bot.alice });
    expect(await privateAnswer(bot, form.id)).toMatch(/No job nosuchjob any more; use \/jobs/);
    await expectNothingMade(bot);
  });
});

describe("after all of that", () => {
  it("the bot still makes a video for a good request", async () => {
    slashCommand(bot.fake, "video", { prompt: "a calm lake --dur 4" }, { user: bot.alice });
    await waitForUploads(bot.fake, 1);
    expect(bot.provider.submits).toHaveLength(1);
  });
});
