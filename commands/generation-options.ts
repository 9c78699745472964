import { z } from "zod";
import { aspectRatios, resolutions } from "../src/domain/generation-request.ts";
import { seedanceLimits } from "../src/domain/model-limits.ts";
import { takesCeiling } from "../src/domain/takes.ts";
import type { GenerationParameters } from "./build-request.ts";
import { integerChoiceOption, type OptionChoice } from "./option-descriptors.ts";
import { seedMaximum } from "./parse-flags.ts";

const { minDuration, maxDuration } = seedanceLimits.text.standard;

const durationChoices: OptionChoice[] = [
  { name: "auto (the model decides)", value: -1 },
  ...Array.from({ length: maxDuration - minDuration + 1 }, (_, index) => ({
    name: `${minDuration + index} seconds`,
    value: minDuration + index,
  })),
];

export const promptOption = z
  .string()
  .min(1)
  .meta({
    whenMissing:
      "a prompt: describe what happens in the video, e.g. `prompt: a fox running through snow`.",
  })
  .describe("What happens in the video; flags like --ar 9:16 --dur 8 work here too");

const resolution = z
  .enum(resolutions)
  .describe("Output resolution (the fast tier makes 480p or 720p)")
  .optional();
const duration = integerChoiceOption(durationChoices, "Length in seconds").optional();
const aspectRatio = z.enum(aspectRatios).describe("Frame shape").optional();
const audio = z.boolean().describe("Generate sound with the video").optional();
const seed = z
  .number()
  .int()
  .min(0)
  .max(seedMaximum)
  .describe("Same seed and inputs give a similar video")
  .optional();
/** `/reference`'s counterpart of the `--face` flag: the files go where Oxen expects faces. */
export const referenceFaceOption = z
  .boolean()
  .describe("The images or videos show a real person's face (avoids false content blocks)")
  .optional();
const privately = z
  .boolean()
  .describe("Only you see the status card; the video comes in a direct message")
  .optional();
const takes = z
  .number()
  .int()
  .min(1)
  .max(takesCeiling)
  .describe("How many videos to make of this request, each with its own seed")
  .optional();
const fast = z.boolean().describe("Faster, cheaper tier (480p or 720p)").optional();

/** The settings every generation command takes, under the option names users type. */
export const generationOptions = {
  resolution,
  duration,
  aspect_ratio: aspectRatio,
  audio,
  seed,
  private: privately,
  takes,
};
export const generationOptionsWithTier = { ...generationOptions, fast };

interface GenerationOptionValues {
  resolution?: GenerationParameters["resolution"];
  duration?: number | undefined;
  aspect_ratio?: GenerationParameters["aspectRatio"];
  audio?: boolean | undefined;
  seed?: number | undefined;
  fast?: boolean | undefined;
  has_face?: boolean | undefined;
  loop?: boolean | undefined;
  private?: boolean | undefined;
  takes?: number | undefined;
}

export function parametersFrom(options: GenerationOptionValues): GenerationParameters {
  return {
    resolution: options.resolution,
    duration: options.duration,
    aspectRatio: options.aspect_ratio,
    generateAudio: options.audio,
    seed: options.seed,
    fast: options.fast,
    hasFace: options.has_face,
    loop: options.loop,
    private: options.private,
    takes: options.takes,
  };
}
