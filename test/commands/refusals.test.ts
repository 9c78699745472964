import { describe, expect, it } from "vitest";
import { commands, findCommand } from "../../commands/index.ts";
import { UserFacingError } from "../../src/errors.ts";

/** What zod says on its own; a user must never read it. */
const schemaWords =
  /Invalid input|expected (string|number|object|boolean)|received|Too (big|small)|>=|<=/;

function refusal(name: string, raw: Record<string, unknown>): string {
  const command = findCommand(name);
  if (!command) throw new Error(`no command ${name}`);
  try {
    command.run(raw);
  } catch (error) {
    if (error instanceof UserFacingError) return error.message;
    throw error;
  }
  throw new Error(`/${name} ${JSON.stringify(raw)} was accepted`);
}

describe("refusals name the option and what to do, in a user's words (issue 11)", () => {
  it("/animate without an image asks for the image", () => {
    expect(refusal("animate", { prompt: "the cat yawns" })).toBe(
      "/animate needs an image: attach the first frame (JPEG, PNG or WebP) as `image`.",
    );
  });

  it("/video alone asks for a prompt, with an example", () => {
    expect(refusal("video", {})).toBe(
      "/video needs a prompt: describe what happens in the video, e.g. `prompt: a fox running through snow`.",
    );
  });

  it("/cancel alone says how to name the job and where to find it", () => {
    expect(refusal("cancel", {})).toMatch(
      /^\/cancel needs the job to cancel: start typing its prompt .*\/jobs/,
    );
  });

  it("a 6,000-character prompt gets the same kind of answer as a 5,500-character one", () => {
    expect(refusal("video", { prompt: "a".repeat(6000) })).toBe(
      "The prompt is 6000 characters; the limit is 5000. Shorten it by 1000.",
    );
    expect(refusal("video", { prompt: "a".repeat(5500) })).toBe(
      "The prompt is 5500 characters; the limit is 5000. Shorten it by 500.",
    );
  });

  it("a wrong choice lists the choices; a number out of range gives the range", () => {
    expect(refusal("video", { prompt: "x", resolution: "8k" })).toBe(
      'Invalid option resolution "8k": choose "480p" or "720p" or "1080p" or "4k".',
    );
    expect(refusal("video", { prompt: "x", seed: -1 })).toBe(
      "Invalid option seed -1: use a whole number from 0 to 2147483647.",
    );
  });

  it("a refusal quotes a bounded excerpt of a long value, never all of it", () => {
    const message = refusal("video", { prompt: "x", resolution: "9".repeat(5000) });
    expect(message.length).toBeLessThan(200);
    expect(refusal("video", { prompt: `fox --ar ${"9".repeat(5000)}` }).length).toBeLessThan(200);
    expect(refusal("video", { prompt: `fox --${"z".repeat(5000)}` }).length).toBeLessThan(400);
  });

  it.each(commands.map((command) => command.name))(
    "/%s with nothing, or with nonsense, is never answered with schema text",
    (name) => {
      const command = findCommand(name);
      const empty = (() => {
        try {
          command?.run({});
          return "";
        } catch (error) {
          return error instanceof UserFacingError ? error.message : String(error);
        }
      })();
      expect(empty).not.toMatch(schemaWords);
      const nonsense = Object.fromEntries(
        (command?.options.keyof().options ?? []).map((option) => [option, { odd: true }]),
      );
      if (Object.keys(nonsense).length > 0)
        expect(refusal(name, nonsense)).not.toMatch(schemaWords);
    },
  );
});
