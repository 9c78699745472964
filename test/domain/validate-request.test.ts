import { describe, expect, it } from "vitest";
import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import { catalogModelIds, oxenCatalog } from "../../src/domain/model-catalog.ts";
import { seedanceLimits } from "../../src/domain/model-limits.ts";
import { validateRequest } from "../../src/domain/validate-request.ts";
import { UserFacingError } from "../../src/errors.ts";

const image = (name = "cat.png", extra: Record<string, unknown> = {}) => ({
  url: `https://cdn.example/${name}`,
  fileName: name,
  contentType: "image/png",
  sizeBytes: 1000,
  ...extra,
});

function problem(
  input: GenerationRequestInput,
  limits = seedanceLimits[input.mode][input.tier ?? "standard"],
) {
  try {
    validateRequest(input, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return (error as UserFacingError).message;
  }
  throw new Error("expected the request to be refused");
}

describe("model catalog", () => {
  it("maps every mode and tier to the Oxen model ids", () => {
    expect(catalogModelIds(oxenCatalog)).toEqual([
      "bytedance-seedance-2-0-text-to-video",
      "bytedance-seedance-2-0-fast-text-to-video",
      "bytedance-seedance-2-0-image-to-video",
      "bytedance-seedance-2-0-fast-image-to-video",
      "bytedance-seedance-2-0-reference-to-video",
      "bytedance-seedance-2-0-fast-reference-to-video",
    ]);
  });
});

describe("validateRequest", () => {
  it("accepts a valid request and fills defaults", () => {
    const request = validateRequest(
      { mode: "text", prompt: "a paper boat", duration: 8 },
      seedanceLimits.text.standard,
    );
    expect(request).toMatchObject({
      mode: "text",
      tier: "standard",
      duration: 8,
      referenceImages: [],
    });
  });

  it.each([
    [
      { mode: "text", prompt: "boat", duration: 3 },
      "duration 3 is out of range; use 4–15 seconds, or auto",
    ],
    [{ mode: "text", prompt: "boat", duration: 16 }, "duration 16 is out of range"],
    [{ mode: "text", prompt: "   " }, "prompt is empty; describe the video in 1–5000 characters"],
    [
      { mode: "text", prompt: "x".repeat(5001) },
      "prompt is 5001 characters; the limit is 5000. Shorten it by 1",
    ],
    [
      { mode: "text", tier: "fast", prompt: "boat", resolution: "1080p" },
      "resolution 1080p is not available on the fast tier (drop --fast for more); choose 480p, 720p",
    ],
    [
      { mode: "text", prompt: "boat", resolution: "8k" },
      "resolution 8k is not supported; choose 480p, 720p, 1080p, 4k",
    ],
    [{ mode: "text", prompt: "boat", aspectRatio: "2:1" }, "aspect_ratio 2:1 is not supported"],
    [{ mode: "text", prompt: "boat", seed: -5 }, "seed -5 is out of range"],
    [{ mode: "image", prompt: "move" }, "image-to-video needs a start image"],
    [
      { mode: "image", prompt: "move", startImage: image("a.gif", { contentType: "image/gif" }) },
      "image 1 (a.gif) is image/gif; use image/jpeg, image/png, image/webp",
    ],
    [
      {
        mode: "image",
        prompt: "move",
        startImage: image("big.png", { sizeBytes: 31 * 1024 * 1024 }),
      },
      "image 1 (big.png) is 31 MB; the limit is 30 MB per image",
    ],
    [
      { mode: "reference", prompt: "@Image5 dances", referenceImages: [image(), image()] },
      "the prompt mentions @Image5 but only @Image1–@Image2 exist",
    ],
    [
      {
        mode: "reference",
        prompt: "sing",
        referenceAudios: [{ url: "https://x/a.mp3", contentType: "audio/mpeg" }],
      },
      "audio needs at least one reference image or video beside it",
    ],
    [
      {
        mode: "reference",
        prompt: "many",
        referenceImages: Array.from({ length: 10 }, () => image()),
      },
      "10 images attached; the limit is 9",
    ],
    [{ mode: "text", prompt: "boat", referenceImages: [image()] }, "text-to-video takes no media"],
  ] as const)("refuses %j with a message naming field, value and range", (input, expected) => {
    expect(problem(input as GenerationRequestInput).toLowerCase()).toContain(
      expected.toLowerCase(),
    );
  });

  it("counts 13 references against the 12-file total", () => {
    const message = problem({
      mode: "reference",
      prompt: "all",
      referenceImages: Array.from({ length: 9 }, () => image()),
      referenceVideos: Array.from({ length: 3 }, () => ({
        url: "https://x/v.mp4",
        contentType: "video/mp4",
      })),
      referenceAudios: [{ url: "https://x/a.mp3", contentType: "audio/mpeg" }],
    });
    expect(message).toContain(
      "13 reference files attached; the limit is 12 across images, videos and audio",
    );
  });

  it("accepts auto duration and every documented aspect ratio", () => {
    for (const aspectRatio of seedanceLimits.text.standard.aspectRatios) {
      expect(() =>
        validateRequest(
          { mode: "text", prompt: "boat", duration: -1, aspectRatio },
          seedanceLimits.text.standard,
        ),
      ).not.toThrow();
    }
  });
});
