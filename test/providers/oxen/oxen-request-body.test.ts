import { describe, expect, it } from "vitest";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import {
  oxenIgnoredSettings,
  toOxenRequestBody,
} from "../../../src/providers/oxen/oxen-request-body.ts";
import { oxenModelSchema } from "../../../src/providers/oxen/oxen-schemas.ts";
import { fakeOxenModel } from "../../fakes/fake-oxen-models.ts";

const request = (input: GenerationRequestInput) => generationRequestSchema.parse(input);

/** The published request schema of a model, as the provider parses it from the hub. */
function schemaOf(id: string) {
  const schema = oxenModelSchema.parse(fakeOxenModel(id)).request_schema;
  if (!schema) throw new Error(`no schema for ${id}`);
  return schema;
}

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

  it("maps every scalar option to its Oxen name; seed only where a schema declares it", () => {
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

  it("sends only what the model's live request schema declares", () => {
    const asked = request({
      mode: "text",
      prompt: "waves",
      duration: 5,
      seed: 42,
      watermark: true,
      generateAudio: true,
    });
    const published = schemaOf(oxenCatalog.text.standard.id);
    expect(toOxenRequestBody(asked, oxenCatalog.text.standard, published)).toEqual({
      model: "bytedance-seedance-2-0-text-to-video",
      num_generations: 1,
      prompt: "waves",
      duration: 5,
      generate_audio: true,
      watermark: true,
    });
    expect(oxenIgnoredSettings(asked, published)).toEqual(["seed"]);

    // An older schema with `seed` and without `watermark`.
    const { watermark: _watermark, ...rest } = published.properties;
    const older = { ...published, properties: { ...rest, seed: { type: "integer" } } };
    expect(toOxenRequestBody(asked, oxenCatalog.text.standard, older)).toEqual({
      model: "bytedance-seedance-2-0-text-to-video",
      num_generations: 1,
      prompt: "waves",
      duration: 5,
      generate_audio: true,
      seed: 42,
    });
    expect(oxenIgnoredSettings(asked, older)).toEqual(["watermark"]);
    // Schema unknown (the models endpoint failed): everything but seed.
    expect(oxenIgnoredSettings(asked, undefined)).toEqual(["seed"]);
    expect(oxenIgnoredSettings(request({ mode: "text", prompt: "p" }), published)).toEqual([]);
  });

  it("puts face videos in input_face_videos, numbered first like Oxen does", () => {
    const body = toOxenRequestBody(
      request({
        mode: "reference",
        prompt: "@Video1 sets the pace, @Video2 dances like @Image1",
        referenceImages: [{ url: "https://files.example/style.png" }],
        referenceVideos: [
          { url: "https://files.example/pace.mp4" },
          { url: "https://files.example/anna.mp4", hasFace: true },
        ],
      }),
      oxenCatalog.reference.standard,
      schemaOf(oxenCatalog.reference.standard.id),
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-reference-to-video",
      num_generations: 1,
      prompt: "@Video2 sets the pace, @Video1 dances like @Image1",
      input_images: ["https://files.example/style.png"],
      input_face_videos: ["https://files.example/anna.mp4"],
      input_videos: ["https://files.example/pace.mp4"],
    });
  });

  it("keeps face media in the plain lists, in the user's order, where the schema has no face field", () => {
    const published = schemaOf(oxenCatalog.reference.fast.id);
    const {
      input_face_videos: _videos,
      input_face_images: _images,
      ...rest
    } = published.properties;
    const body = toOxenRequestBody(
      request({
        mode: "reference",
        prompt: "@Video1 then @Video2 with @Image1",
        referenceImages: [{ url: "https://i/anna.png", hasFace: true }],
        referenceVideos: [{ url: "https://v/1.mp4" }, { url: "https://v/2.mp4", hasFace: true }],
      }),
      oxenCatalog.reference.fast,
      { ...published, properties: rest },
    );
    expect(body).toEqual({
      model: "bytedance-seedance-2-0-fast-reference-to-video",
      num_generations: 1,
      prompt: "@Video1 then @Video2 with @Image1",
      input_images: ["https://i/anna.png"],
      input_videos: ["https://v/1.mp4", "https://v/2.mp4"],
    });
  });
});
