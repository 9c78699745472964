import type { GenerationRequest } from "../src/domain/generation-request.ts";
import type { ExtendOverrides } from "../src/service/generation-service-port.ts";
import { refusePrivate, refuseTakes } from "./build-request.ts";
import { parseFlags } from "./parse-flags.ts";

/** What the Extend form ("what happens next") starts with: the clip's prompt. */
export function extendText(request: GenerationRequest): string {
  return request.prompt;
}

/** The form's text as the next clip's prompt; flags in it (--dur, --res…) change those settings. */
export function extendOverrides(text: string): Pick<ExtendOverrides, "prompt" | "settings"> {
  const { prompt, flags } = parseFlags(text);
  refusePrivate(flags);
  refuseTakes(flags);
  return {
    prompt,
    settings: {
      ...(flags.duration === undefined ? {} : { duration: flags.duration }),
      ...(flags.resolution ? { resolution: flags.resolution } : {}),
      ...(flags.aspectRatio ? { aspectRatio: flags.aspectRatio } : {}),
      ...(flags.generateAudio === undefined ? {} : { generateAudio: flags.generateAudio }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    },
  };
}
