import { z } from "zod";
import { actionExtras, buildRequest, mergeParameters } from "./build-request.ts";
import { defineCommand } from "./define-command.ts";
import { generationOptions, parametersFrom, referenceFaceOption } from "./generation-options.ts";
import type { IncomingMedia } from "./incoming-media.ts";
import { attachmentOption } from "./option-descriptors.ts";
import { parseFlags } from "./parse-flags.ts";

function present(...items: (IncomingMedia | undefined)[]): IncomingMedia[] {
  return items.filter((item) => item !== undefined);
}

export const referenceCommand = defineCommand({
  name: "reference",
  description: "Make a video guided by reference files: call them @Image1, @Video1, @Audio1",
  options: z.object({
    prompt: z
      .string()
      .min(1)
      .describe("Mention files as @Image1…@Image4, @Video1, @Video2, @Audio1; flags work too"),
    image1: attachmentOption("image", "@Image1").optional(),
    image2: attachmentOption("image", "@Image2").optional(),
    image3: attachmentOption("image", "@Image3").optional(),
    image4: attachmentOption("image", "@Image4").optional(),
    video1: attachmentOption("video", "@Video1 (MP4 or MOV)").optional(),
    video2: attachmentOption("video", "@Video2 (MP4 or MOV)").optional(),
    audio1: attachmentOption("audio", "@Audio1 (MP3 or WAV)").optional(),
    has_face: referenceFaceOption,
    ...generationOptions,
  }),
  handle: (options) => {
    const { prompt, flags } = parseFlags(options.prompt);
    const parameters = mergeParameters(flags, parametersFrom(options));
    const media = {
      referenceImages: present(options.image1, options.image2, options.image3, options.image4),
      referenceVideos: present(options.video1, options.video2),
      referenceAudios: present(options.audio1),
    };
    const request = buildRequest("reference", prompt, media, parameters);
    return { kind: "generate", request, ...actionExtras(parameters) };
  },
});
