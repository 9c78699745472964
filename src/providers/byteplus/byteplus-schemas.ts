import { z } from "zod";

const errorSchema = z
  .object({
    code: z.union([z.string(), z.number()]).nullish(),
    message: z.string().nullish(),
    type: z.string().nullish(),
    param: z.string().nullish(),
  })
  .loose();

/** An HTTP error body: `{"error":{code,message,…}}` (OpenAI-style, as Ark answers). */
export const arkErrorEnvelopeSchema = z.object({ error: errorSchema.nullish() }).loose();

/** The create answer: `{id}`. */
export const arkCreatedSchema = z.object({ id: z.string().min(1).max(200) }).loose();

/**
 * A task as `GET /contents/generations/tasks/{id}` returns it (and a callback carries it). Odd
 * optional fields are dropped, not fatal.
 */
export const arkTaskSchema = z
  .object({
    id: z.string().min(1),
    model: z.string().nullish(),
    status: z.string().min(1),
    error: errorSchema.nullish().catch(undefined),
    content: z
      .object({ video_url: z.string().nullish(), last_frame_url: z.string().nullish() })
      .loose()
      .nullish()
      .catch(undefined),
    usage: z
      .object({
        completion_tokens: z.number().nonnegative().nullish().catch(undefined),
        total_tokens: z.number().nonnegative().nullish().catch(undefined),
      })
      .loose()
      .nullish()
      .catch(undefined),
    created_at: z.number().nullish().catch(undefined),
    service_tier: z.string().nullish().catch(undefined),
  })
  .loose();
export type ArkTask = z.infer<typeof arkTaskSchema>;

/** What a callback must carry: the task id (the rest is read again from Ark). */
export const arkCallbackSchema = z.object({ id: z.string().min(1).max(200) }).loose();
