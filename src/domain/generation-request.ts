import { z } from "zod";

export const generationModes = ["text", "image", "reference"] as const;
export const tiers = ["standard", "fast"] as const;
export const resolutions = ["480p", "720p", "1080p", "4k"] as const;
export const aspectRatios = ["adaptive", "21:9", "16:9", "4:3", "1:1", "3:4", "9:16"] as const;

export type GenerationMode = (typeof generationModes)[number];
export type Tier = (typeof tiers)[number];
export type Resolution = (typeof resolutions)[number];
export type AspectRatio = (typeof aspectRatios)[number];

function choose(field: string, value: unknown, allowed: readonly string[]): string {
  return `${field} ${String(value)} is not supported; choose ${allowed.join(", ")}.`;
}

/** A file the provider will fetch: a URL it can reach, plus what we learned about the bytes. */
export const mediaInputSchema = z.object({
  url: z.string().min(1),
  /** The picture shows a real human face; content filters may block it otherwise. */
  hasFace: z.boolean().optional(),
  contentType: z.string().optional(),
  sizeBytes: z.number().int().nonnegative().optional(),
  /** Seconds, for video and audio when known. */
  durationSeconds: z.number().nonnegative().optional(),
  fileName: z.string().optional(),
  /** When the URL stops working (epoch milliseconds), when known: signed links expire. */
  expiresAt: z.number().int().positive().optional(),
  /**
   * Where the platform keeps the original when `url` is a short-lived copy (Slack's private file
   * URL): the platform's adapter can publish it again once the copy's link has expired.
   */
  sourceUrl: z.string().min(1).optional(),
});
export type MediaInput = z.infer<typeof mediaInputSchema>;

/** What a user asked for, in platform-neutral terms; provider-specific field names come later. */
export const generationRequestSchema = z.object({
  mode: z.enum(generationModes),
  tier: z.enum(tiers).default("standard"),
  prompt: z.string(),
  startImage: mediaInputSchema.optional(),
  endImage: mediaInputSchema.optional(),
  referenceImages: z.array(mediaInputSchema).default([]),
  referenceVideos: z.array(mediaInputSchema).default([]),
  referenceAudios: z.array(mediaInputSchema).default([]),
  resolution: z
    .enum(resolutions, { error: (issue) => choose("resolution", issue.input, resolutions) })
    .optional(),
  /** -1 lets the model choose. */
  duration: z
    .number({ error: (issue) => `duration ${String(issue.input)} is not a number of seconds.` })
    .int({ error: (issue) => `duration ${String(issue.input)} must be a whole number of seconds.` })
    .optional(),
  aspectRatio: z
    .enum(aspectRatios, { error: (issue) => choose("aspect_ratio", issue.input, aspectRatios) })
    .optional(),
  generateAudio: z.boolean().optional(),
  seed: z
    .number({ error: (issue) => `seed ${String(issue.input)} is not a number.` })
    .int({ error: (issue) => `seed ${String(issue.input)} must be a whole number.` })
    .optional(),
  watermark: z.boolean().optional(),
  /** Set at admission: settings above the model cannot take (e.g. `seed`), not sent, shown on the card. */
  ignoredSettings: z.array(z.string()).optional(),
});
export type GenerationRequest = z.infer<typeof generationRequestSchema>;
export type GenerationRequestInput = z.input<typeof generationRequestSchema>;

/** Seconds of video the request will bill for; "auto" is counted at the longest duration. */
export function billableSeconds(request: GenerationRequest, maxDuration = 15): number {
  const duration = request.duration ?? -1;
  return duration === -1 ? maxDuration : duration;
}
