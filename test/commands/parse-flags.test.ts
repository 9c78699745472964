import { describe, expect, it } from "vitest";
import { formatFlags, parseFlags, validFlagsText } from "../../commands/parse-flags.ts";
import { UserFacingError } from "../../src/errors.ts";

describe("parseFlags", () => {
  it.each([
    ["a red fox", { prompt: "a red fox", flags: {} }],
    [
      "a red fox --ar 9:16 --dur 8 --res 1080p --seed 42",
      {
        prompt: "a red fox",
        flags: { aspectRatio: "9:16", duration: 8, resolution: "1080p", seed: 42 },
      },
    ],
    [
      "--fast a fox --audio jumps",
      { prompt: "a fox jumps", flags: { fast: true, generateAudio: true } },
    ],
    ["a fox --no-audio", { prompt: "a fox", flags: { generateAudio: false } }],
    ["a fox --dur auto", { prompt: "a fox", flags: { duration: -1 } }],
    ["a fox --dur 6s", { prompt: "a fox", flags: { duration: 6 } }],
    [
      "a fox --ar=16:9 --RES 4K",
      { prompt: "a fox", flags: { aspectRatio: "16:9", resolution: "4k" } },
    ],
    ["a face --face --end", { prompt: "a face", flags: { hasFace: true, endFrame: true } }],
    ["waves --loop", { prompt: "waves", flags: { loop: true } }],
    ["a harbour --private", { prompt: "a harbour", flags: { private: true } }],
    [
      "phone dashes —ar 1:1 –fast",
      { prompt: "phone dashes", flags: { aspectRatio: "1:1", fast: true } },
    ],
    ["an em dash — stays —here", { prompt: "an em dash — stays —here", flags: {} }],
    ["line one\nline two --seed 0", { prompt: "line one\nline two", flags: { seed: 0 } }],
    ["well--known -- text", { prompt: "well--known -- text", flags: {} }],
  ])("parses %j", (text, expected) => {
    expect(parseFlags(text)).toEqual(expected);
  });

  it.each([
    ["a fox --motion 3", /Unknown flag --motion; valid flags are --ar <adaptive\|21:9/],
    [
      "a fox --ar 5:4",
      /--ar 5:4 is not valid; use one of adaptive, 21:9, 16:9, 4:3, 1:1, 3:4, 9:16/,
    ],
    ["a fox --dur 20", /--dur 20 is not valid; use 4–15 seconds or auto/],
    ["a fox --dur 3", /--dur 3 is not valid; use 4–15 seconds or auto/],
    ["a fox --res 2k", /--res 2k is not valid; use one of 480p, 720p, 1080p, 4k/],
    ["a fox --seed abc", /--seed abc is not valid; use a whole number from 0 to 2147483647/],
    ["a fox --seed 2147483648", /--seed 2147483648 is not valid/],
    ["a fox --seed -5", /--seed -5 is not valid/],
    ["a fox --ar", /--ar needs a value: <adaptive\|/],
    ["a fox --dur --fast", /--dur needs a value/],
  ])("refuses %j naming the flag, value and range", (text, message) => {
    const error = catchError(() => parseFlags(text));
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.message).toMatch(message);
  });

  it("lists every valid flag", () => {
    expect(validFlagsText).toBe(
      "--ar <adaptive|21:9|16:9|4:3|1:1|3:4|9:16>, --dur <4-15|auto>, --res <480p|720p|1080p|4k>, --seed <0-2147483647>, --audio, --no-audio, --fast, --face, --end, --loop, --private, --takes <N>",
    );
  });

  it("formats flags back into text that parses to the same values", () => {
    const flags = {
      aspectRatio: "9:16",
      duration: -1,
      resolution: "720p",
      seed: 7,
      generateAudio: false,
      fast: true,
    } as const;
    const text = formatFlags(flags);
    expect(text).toBe("--ar 9:16 --dur auto --res 720p --seed 7 --no-audio --fast");
    expect(parseFlags(`prompt ${text}`)).toEqual({ prompt: "prompt", flags });
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
