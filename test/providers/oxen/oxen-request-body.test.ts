import { describe, expect, it } from "vitest";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { toOxenRequestBody } from "../../../src/providers/oxen/oxen-request-body.ts";

const request = (input: GenerationRequestInput) => generationRequestSchema.parse(input);

describe("Oxen request body", () => {
  it("sends only what the user set for text-to-video", () => {
    const body = toOxenRequestBody(
      request({ mode: "text", prompt: "a cat surfing" }),
      oxenCatalog.text.standard,
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-text-to-video",
      num_generations: 1,
      prompt: "a cat surfing",
    });
  });

  it("maps every scalar option to its Oxen name", () => {
    const body = toOxenRequestBody(
      request({
        mode: "text",
        tier: "fast",
        prompt: "waves",
        resolution: "480p",
        duration: -1,
        aspectRatio: "9:16",
        generateAudio: true,
        seed: 42,
        watermark: false,
      }),
      oxenCatalog.text.fast,
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-fast-text-to-video",
      num_generations: 1,
      prompt: "waves",
      resolution: "480p",
      duration: -1,
      aspect_ratio: "9:16",
      generate_audio: true,
      seed: 42,
      watermark: false,
    });
  });

  it("sends start and end frames with their face flags for image-to-video", () => {
    const body = toOxenRequestBody(
      request({
        mode: "image",
        prompt: "she turns around",
        startImage: { url: "https://files.example/start.png", hasFace: true },
        endImage: { url: "https://files.example/end.png" },
        duration: 5,
      }),
      oxenCatalog.image.standard,
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-image-to-video",
      num_generations: 1,
      prompt: "she turns around",
      duration: 5,
      input_image: "https://files.example/start.png",
      input_image_has_face: true,
      tail_image_url: "https://files.example/end.png",
    });
  });

  it("puts face images in input_face_images and keeps @Image tokens pointing at the right picture", () => {
    const body = toOxenRequestBody(
      request({
        mode: "reference",
        prompt: "@Image1 is the room, @Image2 walks in with @image3; music from @Audio1",
        referenceImages: [
          { url: "https://files.example/room.png" },
          { url: "https://files.example/anna.png", hasFace: true },
          { url: "https://files.example/dog.png", hasFace: false },
        ],
        referenceVideos: [{ url: "https://files.example/move.mp4" }],
        referenceAudios: [{ url: "https://files.example/song.mp3" }],
      }),
      oxenCatalog.reference.standard,
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-reference-to-video",
      num_generations: 1,
      // Oxen numbers face images first: anna is @Image1 there, room @Image2, dog @Image3.
      prompt: "@Image2 is the room, @Image1 walks in with @image3; music from @Audio1",
      input_face_images: ["https://files.example/anna.png"],
      input_images: ["https://files.example/room.png", "https://files.example/dog.png"],
      input_videos: ["https://files.example/move.mp4"],
      input_audios: ["https://files.example/song.mp3"],
    });
  });

  it("leaves out empty reference lists", () => {
    const body = toOxenRequestBody(
      request({
        mode: "reference",
        prompt: "@Video1 in slow motion",
        referenceVideos: [{ url: "https://v/1.mp4" }],
      }),
      oxenCatalog.reference.fast,
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-fast-reference-to-video",
      num_generations: 1,
      prompt: "@Video1 in slow motion",
      input_videos: ["https://v/1.mp4"],
    });
  });
});
