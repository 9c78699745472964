import { describe, expect, it } from "vitest";
import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import type { ModelCatalog } from "../../src/domain/model-catalog.ts";
import { validateRequest } from "../../src/domain/validate-request.ts";
import { UserFacingError } from "../../src/errors.ts";
import { byteplusCatalog } from "../../src/providers/byteplus/index.ts";
import { falCatalog } from "../../src/providers/fal/index.ts";

/** The refusal a user would read, and the field it names. */
function refusal(catalog: ModelCatalog, input: GenerationRequestInput) {
  const model = catalog[input.mode][input.tier ?? "standard"];
  try {
    validateRequest(input, model.limits);
  } catch (error) {
    expect(error).toBeInstanceOf(UserFacingError);
    return { message: (error as UserFacingError).message, field: (error as UserFacingError).field };
  }
  throw new Error("expected the request to be refused");
}

describe("range messages name the field, the value and the provider's own range", () => {
  it.each<[string, ModelCatalog, GenerationRequestInput, string, string]>([
    [
      "fal.ai has no 1080p on either tier",
      falCatalog,
      { mode: "text", prompt: "p", resolution: "1080p" },
      "resolution",
      "Resolution 1080p is not available on fal.ai; choose 480p, 720p.",
    ],
    [
      "fal.ai's fast tier: dropping --fast does not help",
      falCatalog,
      { mode: "text", prompt: "p", tier: "fast", resolution: "1080p" },
      "resolution",
      "Resolution 1080p is not available on fal.ai; choose 480p, 720p.",
    ],
    [
      "fal.ai's durations",
      falCatalog,
      { mode: "text", prompt: "p", duration: 3 },
      "duration",
      "Duration 3 is out of range on fal.ai; use 4–15 seconds, or auto to let the model decide.",
    ],
    [
      "BytePlus has 1080p on the standard tier only",
      byteplusCatalog,
      { mode: "text", prompt: "p", tier: "fast", resolution: "1080p" },
      "resolution",
      "Resolution 1080p is not available on BytePlus's fast tier; choose 480p, 720p, or drop --fast for 1080p.",
    ],
    [
      "BytePlus has no 4k",
      byteplusCatalog,
      { mode: "text", prompt: "p", resolution: "4k" },
      "resolution",
      "Resolution 4k is not available on BytePlus; choose 480p, 720p, 1080p.",
    ],
    [
      "BytePlus's durations",
      byteplusCatalog,
      { mode: "text", prompt: "p", duration: 2 },
      "duration",
      "Duration 2 is out of range on BytePlus; use 4–15 seconds, or auto to let the model decide.",
    ],
  ])("%s", (_name, catalog, input, field, message) => {
    expect(refusal(catalog, input)).toEqual({ field, message });
  });

  it("what a provider does offer passes", () => {
    const request = { mode: "text" as const, prompt: "p", resolution: "1080p" as const };
    expect(validateRequest(request, byteplusCatalog.text.standard.limits).resolution).toBe("1080p");
    const auto = { mode: "text" as const, prompt: "p", duration: -1 };
    expect(validateRequest(auto, falCatalog.text.fast.limits).duration).toBe(-1);
  });
});
