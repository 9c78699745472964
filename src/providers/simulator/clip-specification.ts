import { z } from "zod";
import { aspectRatios, type GenerationRequest } from "../../domain/generation-request.ts";
import { pictureUrl } from "./start-image.ts";

/** What a simulated clip is made of; stored with the job, so a restart can render it again. */
export const clipSpecificationSchema = z.object({
  caption: z.string(),
  duration: z.number().optional(),
  aspectRatio: z.enum(aspectRatios).optional(),
  withAudio: z.boolean(),
  pictureUrl: z.string().optional(),
});

export type ClipSpecification = z.infer<typeof clipSpecificationSchema>;

/** Longer picture URLs (inline `data:` images) are not stored: a re-render shows the gradient. */
const maxStoredPictureUrlLength = 8192;

export function clipSpecificationOf(
  request: GenerationRequest,
  caption: string,
): ClipSpecification {
  const picture = pictureUrl(request);
  return {
    caption,
    ...(request.duration !== undefined ? { duration: request.duration } : {}),
    ...(request.aspectRatio !== undefined ? { aspectRatio: request.aspectRatio } : {}),
    withAudio: request.generateAudio !== false,
    ...(picture ? { pictureUrl: picture } : {}),
  };
}

/** The specification as stored: without a picture URL too long to keep in the ledger. */
export function storableSpecification(specification: ClipSpecification): ClipSpecification {
  const { pictureUrl: picture, ...rest } = specification;
  return picture && picture.length <= maxStoredPictureUrlLength
    ? { ...rest, pictureUrl: picture }
    : rest;
}
