import { afterEach, describe, expect, it } from "vitest";
import { generationRequestSchema } from "../../../src/domain/generation-request.ts";
import { aihubmaxCatalog, evolinkCatalog } from "../../../src/domain/model-catalog.ts";
import { validateRequest } from "../../../src/domain/validate-request.ts";
import {
  toAihubmaxBody,
  toEvolinkBody,
} from "../../../src/providers/unified-task/unified-task-request-body.ts";
import {
  type ProviderUnderTest,
  providerAgainstFake,
  submitInput,
} from "./unified-task-test-helpers.ts";

const start = { url: "https://cdn.example/start.png" };
const end = { url: "https://cdn.example/end.png" };

describe("unified-task request bodies", () => {
  it("AIHubMax: image-to-video as image_url + end_image_url, with resolution and seed", () => {
    const request = generationRequestSchema.parse({
      mode: "image",
      prompt: "the door opens",
      startImage: start,
      endImage: end,
      resolution: "1080p",
      duration: -1,
      aspectRatio: "9:16",
      generateAudio: false,
      seed: 7,
    });
    expect(toAihubmaxBody(request, aihubmaxCatalog.image.standard)).toEqual({
      model: "seedance-2.0-image-to-video",
      prompt: "the door opens",
      image_url: start.url,
      end_image_url: end.url,
      resolution: "1080p",
      duration: -1,
      aspect_ratio: "9:16",
      generate_audio: false,
      seed: 7,
    });
  });

  it("EvoLink: image-to-video frames as image_urls, resolution as quality, no seed", () => {
    const request = generationRequestSchema.parse({
      mode: "image",
      tier: "fast",
      prompt: "the door opens",
      startImage: start,
      endImage: end,
      resolution: "720p",
      seed: 7,
    });
    expect(toEvolinkBody(request, evolinkCatalog.image.fast)).toEqual({
      model: "seedance-2.0-fast-image-to-video",
      prompt: "the door opens",
      image_urls: [start.url, end.url],
      quality: "720p",
    });
  });

  it("both: reference-to-video keeps the user's file order for @Image1…", () => {
    const request = generationRequestSchema.parse({
      mode: "reference",
      prompt: "@Image2 dances to @Audio1 like @Video1",
      referenceImages: [
        { url: "https://cdn.example/a.png", hasFace: false },
        { url: "https://cdn.example/b.png", hasFace: true },
      ],
      referenceVideos: [{ url: "https://cdn.example/v.mp4" }],
      referenceAudios: [{ url: "https://cdn.example/s.mp3" }],
    });
    const expected = {
      prompt: "@Image2 dances to @Audio1 like @Video1",
      image_urls: ["https://cdn.example/a.png", "https://cdn.example/b.png"],
      video_urls: ["https://cdn.example/v.mp4"],
      audio_urls: ["https://cdn.example/s.mp3"],
    };
    expect(toAihubmaxBody(request, aihubmaxCatalog.reference.standard)).toEqual({
      model: "seedance-2.0-reference-to-video",
      ...expected,
    });
    expect(toEvolinkBody(request, evolinkCatalog.reference.standard)).toEqual({
      model: "seedance-2.0-reference-to-video",
      ...expected,
    });
  });

  it("each provider's limits: 1080p standard only, no 4k, auto duration on AIHubMax only", () => {
    const text = (input: Record<string, unknown>) => ({ mode: "text", prompt: "p", ...input });
    expect(() =>
      validateRequest(text({ resolution: "1080p" }), aihubmaxCatalog.text.fast.limits),
    ).toThrow(
      "Resolution 1080p is not available on AIHubMax's fast tier; choose 480p, 720p, or drop --fast for 1080p.",
    );
    expect(() =>
      validateRequest(text({ resolution: "4k" }), evolinkCatalog.text.standard.limits),
    ).toThrow("Resolution 4k is not available on EvoLink; choose 480p, 720p, 1080p.");
    expect(
      validateRequest(text({ duration: -1 }), aihubmaxCatalog.text.standard.limits).duration,
    ).toBe(-1);
    expect(() =>
      validateRequest(text({ duration: -1 }), evolinkCatalog.text.standard.limits),
    ).toThrow("Duration -1 is out of range on EvoLink; use 4–15 seconds.");
    expect(() =>
      validateRequest(text({ prompt: "x".repeat(5001) }), evolinkCatalog.text.standard.limits),
    ).toThrow("the limit is 5000");
  });
});

describe.each(["aihubmax", "evolink"] as const)("%s: bodies the API accepts", (dialect) => {
  let subject: ProviderUnderTest;
  afterEach(async () => {
    await subject.close();
  });

  it("creates text, image (with end frame) and reference tasks the fake validates as documented", async () => {
    subject = await providerAgainstFake(dialect, { start: false });
    const inputs = [
      submitInput(dialect, { mode: "text", resolution: "480p", duration: 4 }),
      submitInput(dialect, { mode: "image", startImage: start, endImage: end, tier: "fast" }),
      submitInput(dialect, {
        mode: "reference",
        prompt: "@Image1 sings @Audio1",
        referenceImages: [start],
        referenceAudios: [{ url: "https://cdn.example/s.mp3" }],
      }),
    ];
    for (const input of inputs) {
      const outcome = await subject.provider.submit(input);
      expect(outcome).toMatchObject({ state: "queued" });
      expect(outcome.providerJobId).toMatch(/^task-unified-\d+-[a-z0-9]{8}$/);
    }
    expect(subject.fake.creates()).toHaveLength(3);
    expect(subject.fake.tasks.size).toBe(3);
  });
});
