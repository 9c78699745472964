import { describe, expect, it } from "vitest";
import { highestResolution, upscaleTarget } from "../../src/domain/upscale-resolution.ts";

describe("upscale resolution", () => {
  it("is the model's highest resolution when the request is below it, whatever the list's order", () => {
    expect(highestResolution({ resolutions: ["1080p", "480p", "720p"] })).toBe("1080p");
    expect(upscaleTarget({ resolution: "480p" }, { resolutions: ["480p", "720p"] })).toBe("720p");
    expect(upscaleTarget({}, { resolutions: ["480p", "720p", "1080p", "4k"] })).toBe("4k");
  });

  it("is undefined at the highest already, the unset default (720p) counting as 720p", () => {
    expect(upscaleTarget({ resolution: "1080p" }, { resolutions: ["480p", "720p", "1080p"] })).toBe(
      undefined,
    );
    expect(upscaleTarget({}, { resolutions: ["480p", "720p"] })).toBeUndefined();
  });
});
