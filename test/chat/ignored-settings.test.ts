import { describe, expect, it } from "vitest";
import { describeSettings } from "../../src/chat/job-summary.ts";
import { generationRequestSchema } from "../../src/domain/generation-request.ts";

const request = (input: Record<string, unknown>) =>
  generationRequestSchema.parse({ mode: "text", prompt: "p", ...input });

describe("a seed the model cannot take, on the card", () => {
  it("shows the seed and says it was not used", () => {
    expect(describeSettings(request({ duration: 5, seed: 42, ignoredSettings: ["seed"] }))).toBe(
      "5 s · audio: model default · seed 42 (not used: this model takes no seed)",
    );
  });

  it("shows a seed the model took plainly", () => {
    expect(describeSettings(request({ duration: 5, seed: 42 }))).toBe(
      "5 s · audio: model default · seed 42",
    );
  });
});
