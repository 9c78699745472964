import { z } from "zod";

/** `error` of both envelopes: AIHubMax `{message,type,code}`, EvoLink also `param`, a numeric code. */
const errorObjectSchema = z
  .object({
    code: z.union([z.string(), z.number()]).nullish(),
    message: z.string().nullish(),
    type: z.string().nullish(),
    param: z.string().nullish(),
    fallback_suggestion: z.string().nullish(),
  })
  .loose();

/** An HTTP error body: `{"error":{…}}`, or `{"error":"text"}` from a proxy in front. */
export const unifiedErrorEnvelopeSchema = z
  .object({ error: z.union([z.string(), errorObjectSchema]).nullish() })
  .loose();

/** `results[i]`: a plain URL on EvoLink, `{url, content_type}` on AIHubMax. */
const taskResultSchema = z.union([
  z.string(),
  z.object({ url: z.string().nullish(), content_type: z.string().nullish() }).loose(),
]);

/**
 * A `video.generation.task`, as both the create call and `GET /v1/tasks/{id}` return it (and as a
 * callback carries it). Only `id` and `status` are required; odd optional fields are dropped, not
 * fatal, so one strange value cannot stall a job.
 */
export const unifiedTaskSchema = z
  .object({
    id: z.string().min(1),
    object: z.string().nullish(),
    model: z.string().nullish(),
    created: z.number().nullish().catch(undefined),
    status: z.string().min(1),
    progress: z.number().nullish().catch(undefined),
    results: z.array(taskResultSchema.nullable()).nullish().catch(undefined),
    error: errorObjectSchema.nullish().catch(undefined),
    task_info: z
      .object({
        can_cancel: z.boolean().nullish(),
        estimated_time: z.number().nonnegative().nullish().catch(undefined),
        video_duration: z.number().nullish().catch(undefined),
      })
      .loose()
      .nullish()
      .catch(undefined),
    usage: z
      .object({
        billing_rule: z.string().nullish(),
        credits_reserved: z.number().nullish().catch(undefined),
        user_group: z.string().nullish(),
      })
      .loose()
      .nullish()
      .catch(undefined),
  })
  .loose();
export type UnifiedTask = z.infer<typeof unifiedTaskSchema>;

/** What a callback must carry for us to look the task up; its other fields are not trusted. */
export const callbackBodySchema = z.object({ id: z.string().min(1).max(200) }).loose();
