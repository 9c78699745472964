import { z } from "zod";

/** Oxen's two error envelopes: `{error:{type,title,detail}|{message}, status_message}` or a string. */
export const oxenErrorEnvelopeSchema = z
  .object({
    error: z
      .union([
        z.string(),
        z
          .object({
            type: z.string().nullish(),
            title: z.string().nullish(),
            detail: z.string().nullish(),
            message: z.string().nullish(),
          })
          .loose(),
      ])
      .nullish(),
    error_message: z.string().nullish(),
    status: z.string().nullish(),
    status_message: z.string().nullish(),
  })
  .loose();
export type OxenErrorEnvelope = z.infer<typeof oxenErrorEnvelopeSchema>;

export const oxenStatuses = ["queued", "processing", "succeeded", "failed", "cancelled"] as const;
export type OxenStatus = (typeof oxenStatuses)[number];

export const oxenEnqueueResponseSchema = z
  .object({
    generations: z.array(
      z.object({ generation_id: z.string().min(1), status: z.enum(oxenStatuses) }).loose(),
    ),
    error: oxenErrorEnvelopeSchema.shape.error,
  })
  .loose();

const unixSeconds = z.number().nullish();

/** The compact row of `GET /api/ai/queue/{id}` and of the list; request parameters ride along. */
export const oxenQueueRowSchema = z
  .object({
    generation_id: z.string().min(1),
    model_name: z.string(),
    media_type: z.string().nullish(),
    status: z.enum(oxenStatuses),
    result_url: z.string().nullish(),
    error_message: z.string().nullish(),
    enqueued_at: z.number(),
    started_at: unixSeconds,
    completed_at: unixSeconds,
    prompt: z.string().nullish(),
  })
  .loose();
export type OxenQueueRow = z.infer<typeof oxenQueueRowSchema>;

export const oxenQueueListSchema = z
  .object({ count: z.number().optional(), generations: z.array(oxenQueueRowSchema) })
  .loose();

export const oxenGenerationSchema = z
  .object({
    generation: z.object({ cost: z.union([z.string(), z.number()]).nullish() }).loose(),
  })
  .loose();

const amount = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().nonnegative());

export const oxenPricingSchema = z
  .object({
    method: z.string(),
    cost_per_second: amount.nullish(),
    cost_per_second_by_resolution: z.record(z.string(), amount).nullish(),
    cost_per_second_with_audio: amount.nullish(),
    cost_per_second_high_res: amount.nullish(),
  })
  .loose();
export type OxenPricing = z.infer<typeof oxenPricingSchema>;

/** The part of a JSON Schema we read to spot drift; everything else passes through. */
export interface JsonSchemaProperty {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchemaProperty[];
  oneOf?: JsonSchemaProperty[];
}

export const requestSchemaSchema = z
  .object({
    properties: z.record(
      z.string(),
      z.custom<JsonSchemaProperty>((value) => isObject(value)),
    ),
    required: z.array(z.string()).optional(),
  })
  .loose();
export type OxenRequestSchema = z.infer<typeof requestSchemaSchema>;

export const oxenModelSchema = z
  .object({
    id: z.string(),
    pricing: oxenPricingSchema.nullish().catch(undefined),
    request_schema: requestSchemaSchema.nullish().catch(undefined),
    json_request_schema: requestSchemaSchema.nullish().catch(undefined),
  })
  .loose();

/** `data:` of a `media_generation_completed` event. */
export const oxenCompletedEventSchema = z
  .object({
    generation_id: z.string().min(1),
    status: z.enum(["succeeded", "failed", "cancelled"]),
    media_type: z.string().nullish(),
    model: z.string().nullish(),
    url: z.string().nullish(),
    error: z.string().nullish(),
  })
  .loose();

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
