import { z } from "zod";

/** Random ids the page makes: a client request id per send, a thread id per thread. */
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8–64 letters, digits, - or _");

export const sendMessageSchema = z.object({
  clientRequestId: clientId,
  threadId: clientId,
  /** Bounded by the body limit; the prompt's own limit is the core's, told in words (validate-request). */
  text: z.string(),
  attachmentIds: z.array(z.string().max(64)).max(12).default([]),
  /** Remix: the job whose prompt and inputs a message without its own reuses. */
  replyToJobId: z.string().max(64).optional(),
  /** Takes of a generation (the composer's picker); over `--takes` in the text. The service checks the range. */
  takes: z.number().int().optional(),
});
export type SendMessage = z.infer<typeof sendMessageSchema>;

export const jobActionSchema = z.object({
  clientRequestId: clientId,
  jobId: z.string().min(1).max(64),
  action: z.enum(["regenerate", "cancel", "extend", "stitch", "upscale"]),
  /** Extend: what happens next (the clip's prompt when empty). */
  text: z.string().max(4000).optional(),
});
export type JobAction = z.infer<typeof jobActionSchema>;

export const reactionSchema = z.object({
  clientRequestId: clientId,
  jobId: z.string().min(1).max(64),
  emoji: z.enum(["🔁", "🔄", "❌"]),
});
