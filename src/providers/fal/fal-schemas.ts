import { z } from "zod";

/** The submit answer: the request id and the URLs to follow it with. */
export const falSubmitSchema = z
  .object({
    request_id: z.string().min(1).max(200),
    status_url: z.string().nullish(),
    response_url: z.string().nullish(),
    cancel_url: z.string().nullish(),
  })
  .loose();

/** `GET …/requests/{id}/status`; FAILED/CANCELED and `error` are read where fal sends them. */
export const falStatusSchema = z
  .object({
    status: z.string().min(1),
    queue_position: z.number().int().nonnegative().nullish().catch(undefined),
    response_url: z.string().nullish(),
    error: z.string().nullish().catch(undefined),
    error_type: z.string().nullish().catch(undefined),
  })
  .loose();
export type FalStatus = z.infer<typeof falStatusSchema>;

/** `GET …/requests/{id}`: the model's output, `{video: {url}, seed}` for Seedance. */
export const falResultSchema = z
  .object({
    video: z.object({ url: z.string().min(1), content_type: z.string().nullish() }).loose(),
    seed: z.number().nullish().catch(undefined),
  })
  .loose();

/** fal's error bodies: `{detail: "text"}` or `{detail: [{msg, type, loc}]}` (validation). */
export const falErrorSchema = z
  .object({
    detail: z
      .union([
        z.string(),
        z.array(
          z
            .object({
              msg: z.string().nullish(),
              type: z.string().nullish(),
              loc: z.array(z.union([z.string(), z.number()])).nullish(),
            })
            .loose(),
        ),
      ])
      .nullish(),
    error_type: z.string().nullish(),
  })
  .loose();

/** A webhook body: only `request_id` is used; the rest is read again from fal. */
export const falWebhookSchema = z.object({ request_id: z.string().min(1).max(200) }).loose();
