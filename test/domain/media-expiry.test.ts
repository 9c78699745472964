import { describe, expect, it } from "vitest";
import type { GenerationRequest } from "../../src/domain/generation-request.ts";
import { expiredInputs, expiredInputsMessage } from "../../src/domain/media-expiry.ts";

const at = 1_000_000;
const request = (overrides: Partial<GenerationRequest>): GenerationRequest => ({
  mode: "reference",
  tier: "standard",
  prompt: "p",
  referenceImages: [],
  referenceVideos: [],
  referenceAudios: [],
  ...overrides,
});

describe("expired inputs", () => {
  it("names each input whose link stops working before the given time, as the user knows it", () => {
    const expired = expiredInputs(
      request({
        referenceImages: [
          { url: "a", expiresAt: at + 1 },
          { url: "b", expiresAt: at - 1, fileName: "b.png" },
        ],
        referenceAudios: [{ url: "c", expiresAt: at - 1 }],
        referenceVideos: [{ url: "d" }],
      }),
      at,
    );
    expect(expired).toEqual(["@Image2 (b.png)", "@Audio1"]);
    expect(expiredInputsMessage(expired)).toBe(
      "The links to @Image2 (b.png) and @Audio1 have expired (uploaded files stay reachable for a limited time), so this video cannot be made from them. Nothing was charged. Attach the files again in a new request.",
    );
  });

  it("inputs without a known expiry never count as expired", () => {
    expect(
      expiredInputs(
        request({ mode: "image", startImage: { url: "s" }, endImage: { url: "e" } }),
        at,
      ),
    ).toEqual([]);
    expect(
      expiredInputs(request({ mode: "image", endImage: { url: "e", expiresAt: 1 } }), at),
    ).toEqual(["the end image"]);
  });
});
