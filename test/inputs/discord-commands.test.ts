import type { APIAttachment } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bot, startBot, waitForUploads } from "../adapters/discord/discord-harness.ts";
import { type OptionValue, slashCommand } from "../fakes/fake-discord-payloads.ts";
import { attachmentOf, expectNothingMade, privateAnswer } from "./support/discord-answers.ts";
import { longPrompt, megabyte, mp3, mp4, png } from "./support/hostile-media.ts";

let bot: Bot;
beforeAll(async () => {
  bot = await startBot();
});
afterAll(async () => {
  await bot.stop();
});

const file = (name: string, bytes: Buffer, type?: string, size?: number) => () =>
  attachmentOf(bot, name, bytes, type, size);
type Options = Record<string, OptionValue | (() => APIAttachment)>;

describe("bad input on Discord: slash commands, answered privately, nothing made", () => {
  it.each<[string, string, Options, RegExp]>([
    [
      "a 5001-character prompt",
      "video",
      { prompt: longPrompt },
      /The prompt is 5001 characters; the limit is 5000\. Shorten it by 1\./,
    ],
    [
      "an empty prompt",
      "video",
      { prompt: "" },
      /Invalid option prompt "": it is empty; what happens in the video/,
    ],
    [
      "a prompt of flags only",
      "video",
      { prompt: "--dur 5 --ar 9:16" },
      /The prompt is empty; describe the video in 1–5000 characters/,
    ],
    [
      "an unknown flag",
      "video",
      { prompt: "a fox --motion 3" },
      /Unknown flag --motion; valid flags are --ar <.*>, --dur <4-15\|auto>, .*--end, --loop, --private, --takes <N>\./,
    ],
    [
      "duration 3",
      "video",
      { prompt: "a fox", duration: 3 },
      /Duration 3 is out of range; use 4–15 seconds, or auto/,
    ],
    [
      "duration 16",
      "video",
      { prompt: "a fox", duration: 16 },
      /Duration 16 is out of range; use 4–15 seconds, or auto/,
    ],
    [
      "--dur 16 in the prompt",
      "video",
      { prompt: "a fox --dur 16" },
      /--dur 16 is not valid; use 4–15 seconds or auto/,
    ],
    [
      "1080p on the fast tier",
      "video",
      { prompt: "a fox", resolution: "1080p", fast: true },
      /Resolution 1080p is not available on the fast tier .*; choose 480p, 720p/,
    ],
    [
      "a seed past 2^31-1",
      "video",
      { prompt: "a fox", seed: 2_147_483_648 },
      /Invalid option seed 2147483648: use a whole number from 0 to 2147483647\./,
    ],
    [
      "a 31 MB image (by its metadata)",
      "animate",
      { prompt: "go", image: file("huge.png", png, "image/png", 31 * megabyte) },
      /Image 1 \(huge\.png\) is 31 MB; the limit is 30 MB per image/,
    ],
    [
      "a text file named like an image",
      "animate",
      { prompt: "go", image: file("cat.png", Buffer.from("hi"), "text/plain") },
      /Image 1 \(cat\.png\) is text\/plain; use image\/jpeg, image\/png, image\/webp/,
    ],
    [
      "a GIF as the start frame",
      "animate",
      { prompt: "go", image: file("loop.gif", png, "image/gif") },
      /Image 1 \(loop\.gif\) is image\/gif; use image\/jpeg/,
    ],
    [
      "@Image5 with two images",
      "reference",
      {
        prompt: "@Image5 dances",
        image1: file("a.png", png, "image/png"),
        image2: file("b.png", png, "image/png"),
      },
      /The prompt mentions @Image5 but only @Image1–@Image2 exist/,
    ],
    [
      "audio without an image or video",
      "reference",
      { prompt: "sing @Audio1", audio1: file("song.mp3", mp3, "audio/mpeg") },
      /Audio needs at least one reference image or video beside it/,
    ],
    [
      "60 MB of reference video",
      "reference",
      { prompt: "@Video1 moves", video1: file("long.mp4", mp4, "video/mp4", 60 * megabyte) },
      /The videos add up to 60 MB; the limit is 50 MB in total/,
    ],
  ])("%s", async (_name, command, options, pattern) => {
    const resolved = Object.fromEntries(
      Object.entries(options).map(([key, value]) => [
        key,
        typeof value === "function" ? value() : value,
      ]),
    );
    const { id } = slashCommand(bot.fake, command, resolved, { user: bot.alice });
    expect(await privateAnswer(bot, id)).toMatch(pattern);
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
