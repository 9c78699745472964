import type { MediaInput } from "./generation-request.ts";

interface WithInputs {
  startImage?: MediaInput | undefined;
  endImage?: MediaInput | undefined;
  referenceImages?: MediaInput[] | undefined;
  referenceVideos?: MediaInput[] | undefined;
  referenceAudios?: MediaInput[] | undefined;
}

/** The request with each of its media inputs replaced by `map`'s answer; nothing else changes. */
export function mapMediaInputs<Request extends WithInputs>(
  request: Request,
  map: (input: MediaInput) => MediaInput,
): Request {
  return {
    ...request,
    ...(request.startImage ? { startImage: map(request.startImage) } : {}),
    ...(request.endImage ? { endImage: map(request.endImage) } : {}),
    ...(request.referenceImages ? { referenceImages: request.referenceImages.map(map) } : {}),
    ...(request.referenceVideos ? { referenceVideos: request.referenceVideos.map(map) } : {}),
    ...(request.referenceAudios ? { referenceAudios: request.referenceAudios.map(map) } : {}),
  };
}

/** Every media input of the request, in order: start and end image, then the references. */
export function mediaInputsOf(request: WithInputs): MediaInput[] {
  return [
    ...(request.startImage ? [request.startImage] : []),
    ...(request.endImage ? [request.endImage] : []),
    ...(request.referenceImages ?? []),
    ...(request.referenceVideos ?? []),
    ...(request.referenceAudios ?? []),
  ];
}
