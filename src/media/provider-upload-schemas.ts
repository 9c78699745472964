import { z } from "zod";

/** Files uploaded to AIHubMax or EvoLink live this long (both document 72 h). */
export const providerFileLifetimeMs = 72 * 60 * 60_000;

/** AIHubMax `POST /v1/files/upload/stream`: `{id, filename, url, size, created}` (maybe under `data`). */
const aihubmaxFileSchema = z
  .object({
    id: z.union([z.string(), z.number()]).nullish(),
    filename: z.string().nullish(),
    url: z.url({ protocol: /^https?$/ }),
    size: z.number().nullish().catch(undefined),
    /** Unix seconds. */
    created: z.number().nullish().catch(undefined),
  })
  .loose();

export const aihubmaxUploadSchema = z.union([
  aihubmaxFileSchema,
  z
    .object({ data: aihubmaxFileSchema })
    .loose()
    .transform((answer) => answer.data),
]);

/** EvoLink `files-api …/api/v1/files/upload/stream`: `{success, code, msg, data:{file_id, file_url, …}}`. */
export const evolinkUploadSchema = z
  .object({
    success: z.boolean().nullish(),
    code: z.union([z.number(), z.string()]).nullish(),
    msg: z.string().nullish(),
    data: z
      .object({
        file_id: z.string().nullish(),
        file_url: z.url({ protocol: /^https?$/ }),
        download_url: z.string().nullish(),
        /** An ISO date, e.g. 2026-03-01T10:30:00Z. */
        expires_at: z.string().nullish(),
      })
      .loose(),
  })
  .loose();

/** `{success:false, code, msg}`: how the EvoLink files API reports a refusal, even with HTTP 200. */
export const evolinkRefusalSchema = z
  .object({
    success: z.literal(false),
    code: z.union([z.number(), z.string()]).nullish(),
    msg: z.string().nullish(),
  })
  .loose();
