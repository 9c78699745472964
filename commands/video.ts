import { z } from "zod";
import { actionExtras, buildRequest, mergeParameters } from "./build-request.ts";
import { defineCommand } from "./define-command.ts";
import { generationOptionsWithTier, parametersFrom, promptOption } from "./generation-options.ts";
import { parseFlags } from "./parse-flags.ts";

export const videoCommand = defineCommand({
  name: "video",
  description: "Make a video from a text prompt",
  options: z.object({ prompt: promptOption, ...generationOptionsWithTier }),
  handle: (options) => {
    const { prompt, flags } = parseFlags(options.prompt);
    const parameters = mergeParameters(flags, parametersFrom(options));
    const request = buildRequest("text", prompt, {}, parameters);
    return { kind: "generate", request, ...actionExtras(parameters) };
  },
});
