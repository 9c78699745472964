import { z } from "zod";
import type { GenerationRequest, MediaInput } from "../../src/domain/generation-request.ts";
import { expiresBefore } from "../../src/domain/media-expiry.ts";
import { mapMediaInputs, mediaInputsOf } from "../../src/domain/media-inputs.ts";
import type { AdapterContext } from "./adapter-context.ts";

/** Discord's CDN links carry their expiry: `ex`, Unix seconds in hexadecimal. */
export function cdnExpiry(url: string): number | undefined {
  const expires = URL.parse(url)?.searchParams.get("ex");
  const seconds = expires && /^[0-9a-f]{1,12}$/i.test(expires) ? Number.parseInt(expires, 16) : 0;
  return seconds > 0 ? seconds * 1000 : undefined;
}

const refreshedSchema = z.object({
  refreshed_urls: z.array(z.object({ original: z.string(), refreshed: z.string() })),
});

/**
 * The request with fresh CDN links (`POST /attachments/refresh-urls`) for the attachments whose
 * links expire before `before`. Files Discord no longer has, or a refusal, leave the links as they
 * were: the service then asks the user to attach them again.
 */
export async function renewDiscordInputs(
  context: AdapterContext,
  request: GenerationRequest,
  before: number,
): Promise<GenerationRequest> {
  // Only Discord's own CDN links (they carry `ex`) can be refreshed by Discord.
  const expiring = (input: MediaInput) =>
    expiresBefore(input, before) && cdnExpiry(input.url) !== undefined;
  const urls = mediaInputsOf(request)
    .filter(expiring)
    .map((input) => input.url);
  if (urls.length === 0) return request;
  try {
    const answer = await context.client.rest.post("/attachments/refresh-urls", {
      body: { attachment_urls: [...new Set(urls)] },
    });
    const refreshed = new Map(
      refreshedSchema
        .parse(answer)
        .refreshed_urls.map((entry) => [entry.original, entry.refreshed]),
    );
    return mapMediaInputs(request, (input) => {
      const url = expiring(input) ? refreshed.get(input.url) : undefined;
      const expiresAt = url ? cdnExpiry(url) : undefined;
      return url && expiresAt ? { ...input, url, expiresAt } : input;
    });
  } catch (error) {
    context.logger.warn({ err: error }, "could not refresh attachment links");
    return request;
  }
}
