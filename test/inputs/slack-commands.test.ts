import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackBot, startSlackBot } from "../adapters/slack/slack-harness.ts";
import {
  formValues,
  slashCommand,
  stateValue,
  viewSubmission,
} from "../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../support/wait-until.ts";
import { longPrompt } from "./support/hostile-media.ts";
import { expectNothingMade } from "./support/slack-answers.ts";

let bot: SlackBot;
beforeAll(async () => {
  // Answers wait for the listener: once Slack has its answer, the request was handled.
  bot = await startSlackBot({ processBeforeResponse: true });
});
afterAll(async () => {
  await bot.stop();
});

describe("bad input on Slack: slash commands, answered privately in the acknowledgement", () => {
  it.each<[string, string, RegExp]>([
    ["a 5001-character prompt", longPrompt, /The prompt is 5001 characters; the limit is 5000/],
    [
      "a prompt of flags only",
      "--dur 5 --fast",
      /The prompt is empty; describe the video in 1–5000 characters/,
    ],
    [
      "an unknown flag",
      "a cat --motion 3",
      /Unknown flag --motion; valid flags are --ar <.*--end, --loop, --private, --takes <N>\./,
    ],
    ["--dur 3", "a cat --dur 3", /--dur 3 is not valid; use 4–15 seconds or auto/],
    ["--dur 16", "a cat --dur 16", /--dur 16 is not valid; use 4–15 seconds or auto/],
    [
      "1080p on the fast tier",
      "a cat --fast --res 1080p",
      /Resolution 1080p is not available on the fast tier .*choose 480p, 720p/,
    ],
    [
      "a seed out of range",
      "a cat --seed 99999999999",
      /--seed 99999999999 is not valid; use a whole number from 0 to 2147483647/,
    ],
    [
      "an unknown aspect ratio",
      "a cat --ar 2:1",
      /--ar 2:1 is not valid; use one of adaptive, 21:9, 16:9/,
    ],
  ])("%s", async (_name, text, pattern) => {
    const answer = await bot.fake.send(
      "command",
      slashCommand(bot.fake, bot.alice, "/video", text),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(pattern);
    await expectNothingMade(bot);
  });
});

describe("bad input on Slack: forms, answered under the field", () => {
  async function openVideoForm() {
    const { fake, alice } = bot;
    const before = fake.views.length;
    await fake.send("command", slashCommand(fake, alice, "/video", ""));
    await waitUntil(() => fake.views.length > before, { message: "the form" });
    return fake.views.at(-1) as (typeof fake.views)[number];
  }

  it.each<[string, Record<string, Record<string, unknown>>, string, RegExp]>([
    [
      "5001 characters in the prompt field (its limit is 3000)",
      { prompt: stateValue.text(longPrompt) },
      "prompt",
      /The prompt is 5001 characters/,
    ],
    [
      "duration 3 in the select (forged)",
      { prompt: stateValue.text("a cat"), duration: stateValue.select("3") },
      "duration",
      /Duration 3 is out of range; use 4–15 seconds/,
    ],
    [
      "duration 16 in the select (forged)",
      { prompt: stateValue.text("a cat"), duration: stateValue.select("16") },
      "duration",
      /Duration 16 is out of range/,
    ],
    [
      "a seed of 11 digits",
      { prompt: stateValue.text("a cat"), seed: stateValue.number(99_999_999_999) },
      "seed",
      /Invalid option seed 99999999999: use a whole number from 0 to 2147483647\./,
    ],
    [
      "1080p with the fast box ticked",
      {
        prompt: stateValue.text("a cat"),
        resolution: stateValue.select("1080p"),
        fast: stateValue.checked(),
      },
      "resolution",
      /Resolution 1080p is not available on the fast tier/,
    ],
  ])("%s", async (_name, values, field, pattern) => {
    const view = await openVideoForm();
    const answer = await bot.fake.send(
      "interactive",
      viewSubmission(bot.fake, bot.alice, view, formValues(values)),
    );
    const body = JSON.parse(answer.body) as {
      response_action: string;
      errors: Record<string, string>;
    };
    expect(body.response_action).toBe("errors");
    expect(body.errors[field]).toMatch(pattern);
    await expectNothingMade(bot);
  });

  it("a form whose hidden metadata was tampered with", async () => {
    const view = await openVideoForm();
    const forged = { ...view, private_metadata: "{not json" };
    const values = formValues({ prompt: stateValue.text("a cat") });
    const answer = await bot.fake.send(
      "interactive",
      viewSubmission(bot.fake, bot.alice, forged, values),
    );
    expect(JSON.parse(answer.body)).toEqual({
      response_action: "errors",
      errors: { prompt: "This form has expired; open it again." },
    });
    await expectNothingMade(bot);
  });
});
