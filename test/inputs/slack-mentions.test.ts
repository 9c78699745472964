import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import { privateNotes } from "../adapters/slack/slack-views.ts";
import type { FakeFile } from "../fakes/fake-slack.ts";
import { eventEnvelope, mentionEvent } from "../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";
import { jpg, megabyte, mp3, mp4, png, textAsImage, truncated } from "./support/hostile-media.ts";
import { expectNothingMade } from "./support/slack-answers.ts";

let bot: SlackBot;
beforeAll(async () => {
  // Answers wait for the listener: once Slack has its answer, the request was handled.
  bot = await startSlackBot({ processBeforeResponse: true });
});
afterAll(async () => {
  await bot.stop();
});

const downloads = () => bot.fake.calls.filter((call) => call.kind === "download").length;

/** The private note for the latest request, after it was handled. */
function latestNote(before: number): string {
  const notes = privateNotes(bot.fake);
  expect(notes.length).toBe(before + 1);
  return notes.at(-1) ?? "";
}

describe("bad input on Slack: mentions, answered with a private note in the thread", () => {
  const file = (name: string, bytes: Buffer, type: string, size?: number): FakeFile => {
    const made = bot.fake.file(name, bytes, type);
    return size === undefined ? made : { ...made, size };
  };

  it.each<[string, string, () => FakeFile[], RegExp, "no download" | "downloaded"]>([
    [
      "13 reference files",
      "all of them",
      () => [
        ...Array.from({ length: 9 }, (_, index) => file(`i${index}.png`, png, "image/png")),
        ...Array.from({ length: 3 }, (_, index) => file(`v${index}.mp4`, mp4, "video/mp4")),
        file("a.mp3", mp3, "audio/mpeg"),
      ],
      /13 reference files attached; the limit is 12/,
      "no download",
    ],
    [
      "@Image5 with two images",
      "@Image5 waves",
      () => [file("a.png", png, "image/png"), file("b.png", png, "image/png")],
      /mentions @Image5 but only @Image1–@Image2 exist/,
      "no download",
    ],
    [
      "audio alone",
      "sing",
      () => [file("a.mp3", mp3, "audio/mpeg")],
      /Audio needs at least one reference image or video/,
      "no download",
    ],
    [
      "a 31 MB image (by its metadata)",
      "zoom",
      () => [file("huge.png", png, "image/png", 31 * megabyte)],
      /Image 1 \(huge\.png\) is 31 MB; the limit is 30 MB per image/,
      "no download",
    ],
    [
      "a text file Slack calls text",
      "zoom",
      () => [file("cat.png", textAsImage, "text/plain")],
      /Attachment cat\.png is text\/plain; attach images/,
      "no download",
    ],
    [
      "text bytes named and typed as a PNG",
      "zoom",
      () => [file("cat.png", textAsImage, "image/png")],
      /cat\.png is not a file type the model reads; image inputs must be JPEG, PNG or WebP/,
      "downloaded",
    ],
    [
      "a cut-off PNG",
      "zoom",
      () => [file("cut.png", truncated.png, "image/png")],
      /cut\.png is a cut-off PNG \(40 bytes, its end is missing\); attach the whole image again/,
      "downloaded",
    ],
    [
      "a cut-off JPEG",
      "zoom",
      () => [file("cut.jpg", truncated.jpg, "image/jpeg")],
      /cut\.jpg is a cut-off JPEG .*attach the whole image again/,
      "downloaded",
    ],
    [
      "one good image and one cut-off",
      "morph",
      () => [file("ok.jpg", jpg, "image/jpeg"), file("cut.png", truncated.png, "image/png")],
      /cut\.png is a cut-off PNG/,
      "downloaded",
    ],
  ])("%s", async (_name, text, files, pattern, fetched) => {
    const { fake, alice } = bot;
    const before = { notes: privateNotes(fake).length, downloads: downloads() };
    const message = fake.userMessage(alice, `<@${fake.botUserId}> ${text}`, { files: files() });
    await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
    await waitUntil(() => privateNotes(fake).length > before.notes, { message: "the note" });
    expect(latestNote(before.notes)).toMatch(pattern);
    const ephemeral = fake.callsTo("chat.postEphemeral").at(-1);
    expect(ephemeral?.fields).toMatchObject({ user: alice.id, thread_ts: message.ts });
    // Metadata refusals come before any download; byte checks need the file (never the provider).
    if (fetched === "no download") expect(downloads()).toBe(before.downloads);
    else expect(downloads()).toBeGreaterThan(before.downloads);
    await expectNothingMade(bot);
  });
});
