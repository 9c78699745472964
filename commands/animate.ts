import { z } from "zod";
import { actionExtras, buildRequest, mergeParameters } from "./build-request.ts";
import { defineCommand } from "./define-command.ts";
import { generationOptionsWithTier, parametersFrom, promptOption } from "./generation-options.ts";
import { attachmentOption } from "./option-descriptors.ts";
import { parseFlags } from "./parse-flags.ts";

export const animateCommand = defineCommand({
  name: "animate",
  description: "Bring an image to life (optionally ending on a second image)",
  options: z.object({
    image: attachmentOption("image", "The first frame (JPEG, PNG or WebP)"),
    prompt: promptOption,
    end_image: attachmentOption("image", "The last frame").optional(),
    has_face: z
      .boolean()
      .describe("The image shows a real person's face (avoids false content blocks)")
      .optional(),
    loop: z
      .boolean()
      .describe("End on the start image too, for a seamless loop (no end_image)")
      .optional(),
    ...generationOptionsWithTier,
  }),
  handle: (options) => {
    const { prompt, flags } = parseFlags(options.prompt);
    const parameters = mergeParameters(flags, parametersFrom(options));
    const media = { startImage: options.image, endImage: options.end_image };
    const request = buildRequest("image", prompt, media, parameters);
    return { kind: "generate", request, ...actionExtras(parameters) };
  },
});
