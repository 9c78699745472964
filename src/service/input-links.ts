import type { GenerationRequestInput, MediaInput } from "../domain/generation-request.ts";
import { mediaInputsOf } from "../domain/media-inputs.ts";
import { UserFacingError } from "../errors.ts";
import { BlockedAddressError, type OutboundGuard } from "../http/outbound-guard.ts";

async function checkOne(guard: OutboundGuard, input: MediaInput): Promise<void> {
  const url = URL.parse(input.url);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return;
  try {
    await guard.check(url);
  } catch (error) {
    if (!(error instanceof BlockedAddressError)) return;
    const name = input.fileName ? `The link to ${input.fileName}` : "An attachment's link";
    throw new UserFacingError(
      `${name} leads to a private or local address, so it cannot be given to the video provider. Nothing was sent or charged; attach the file itself.`,
      { field: "attachments", code: "MEDIA_REJECTED" },
    );
  }
}

/**
 * Refuses a request whose input links lead to a loopback, private or link-local address (as the
 * guard resolves them now): the provider would be asked to fetch them. A name that does not
 * resolve at the moment is left to the provider, which says so itself.
 */
export async function checkInputLinks(
  guard: OutboundGuard | undefined,
  request: GenerationRequestInput,
): Promise<void> {
  if (!guard) return;
  const inputs = mediaInputsOf(request as Parameters<typeof mediaInputsOf>[0]);
  await Promise.all(inputs.map((input) => checkOne(guard, input)));
}
