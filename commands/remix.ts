import type {
  GenerationRequest,
  GenerationRequestInput,
} from "../src/domain/generation-request.ts";
import { buildRequest, refusePrivate, refuseTakes } from "./build-request.ts";
import { formatFlags, parseFlags } from "./parse-flags.ts";

/** The text a remix form starts with: the prompt and its settings as flags, ready to edit. */
export function remixText(request: GenerationRequest): string {
  const images = [request.startImage, request.endImage, ...request.referenceImages];
  const flags = formatFlags({
    aspectRatio: request.aspectRatio,
    duration: request.duration,
    resolution: request.resolution,
    seed: request.seed,
    generateAudio: request.generateAudio,
    fast: request.tier === "fast",
    hasFace: images.some((image) => image?.hasFace),
  });
  return flags ? `${request.prompt} ${flags}` : request.prompt;
}

/** The same inputs with the edited text, whose prompt and flags replace the old ones entirely. */
export function remixRequest(parent: GenerationRequest, text: string): GenerationRequestInput {
  const { prompt, flags } = parseFlags(text);
  refusePrivate(flags);
  refuseTakes(flags);
  return buildRequest(
    parent.mode,
    prompt,
    {
      startImage: parent.startImage,
      endImage: parent.endImage,
      referenceImages: parent.referenceImages,
      referenceVideos: parent.referenceVideos,
      referenceAudios: parent.referenceAudios,
    },
    flags,
  );
}
