import { describe, expect, it } from "vitest";
import { generationRequestSchema } from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import type { OxenModelDetails } from "../../../src/providers/oxen/oxen-models.ts";
import { estimateOxenCost } from "../../../src/providers/oxen/oxen-pricing.ts";
import { oxenModelSchema } from "../../../src/providers/oxen/oxen-schemas.ts";
import { fakeOxenModel } from "../../fakes/fake-oxen-models.ts";

const model = oxenCatalog.text.standard;
const request = (input: Record<string, unknown>) =>
  generationRequestSchema.parse({ mode: "text", prompt: "p", duration: 10, ...input });

/** Details as the provider reads them from the hub's model object. */
function details(pricing: Record<string, unknown>): OxenModelDetails {
  const parsed = oxenModelSchema.parse({ ...fakeOxenModel(model.id), pricing });
  return {
    ...(parsed.pricing ? { pricing: parsed.pricing } : {}),
    ...(parsed.request_schema ? { requestSchema: parsed.request_schema } : {}),
  };
}
const price = (input: Record<string, unknown>, pricing: Record<string, unknown>) =>
  estimateOxenCost(request(input), model, details(pricing))?.amount;

const method = "per_video_output_second";
const published = {
  method,
  cost_per_second: 0.1,
  cost_per_second_with_audio: 0.15,
  cost_per_second_high_res: 0.2,
};

describe("Oxen cost estimate", () => {
  it("bills sound at cost_per_second_with_audio, silence at cost_per_second", () => {
    expect(price({ generateAudio: true }, published)).toBe(1.5);
    expect(price({ generateAudio: false }, published)).toBe(1);
  });

  it("takes the schema's generate_audio default when the user did not choose", () => {
    // The published default is false: no sound, the base rate.
    expect(price({}, published)).toBe(1);
  });

  it("bills 1080p and 4k at cost_per_second_high_res, 480p and 720p at the base rate", () => {
    expect(price({ resolution: "1080p" }, published)).toBe(2);
    expect(price({ resolution: "4k" }, published)).toBe(2);
    expect(price({ resolution: "480p" }, published)).toBe(1);
    expect(price({ resolution: "720p" }, published)).toBe(1);
  });

  it("takes the higher documented rate when high resolution and sound both apply", () => {
    expect(price({ resolution: "4k", generateAudio: true }, published)).toBe(2);
    const audioDearer = { ...published, cost_per_second_with_audio: 0.3 };
    expect(price({ resolution: "4k", generateAudio: true }, audioDearer)).toBe(3);
  });

  it("falls back to the per-resolution table, then to cost_per_second, when a rate is missing", () => {
    const table = { method, cost_per_second_by_resolution: { "720p": 0.12, "1080p": 0.25 } };
    expect(price({ generateAudio: true }, table)).toBe(1.2);
    expect(price({ resolution: "1080p" }, table)).toBe(2.5);
    expect(price({ resolution: "4k" }, { ...table, cost_per_second: 0.09 })).toBe(0.9);
    expect(
      price({ resolution: "1080p", generateAudio: true }, { method, cost_per_second: "0.1" }),
    ).toBe(1);
  });

  it("gives no estimate without a per-second price", () => {
    expect(price({}, { method })).toBeUndefined();
    expect(price({}, { method: "per_image", cost_per_second: 0.1 })).toBeUndefined();
    expect(estimateOxenCost(request({}), model, undefined)).toBeUndefined();
  });
});
