import type { GenerationRequest, MediaInput } from "./generation-request.ts";

/**
 * How long a link must still work when a job is sent: the provider fetches inputs when the job
 * starts, which can be minutes after it is queued.
 */
export const inputLinkMarginMs = 10 * 60_000;

const singleInputs = { startImage: "start image", endImage: "end image" } as const;
const listInputs = {
  referenceImages: "Image",
  referenceVideos: "Video",
  referenceAudios: "Audio",
} as const;

function named(input: MediaInput, label: string): string {
  return input.fileName ? `${label} (${input.fileName})` : label;
}

/** True when the input's link is known to stop working before `at`. */
export function expiresBefore(input: MediaInput, at: number): boolean {
  return input.expiresAt !== undefined && input.expiresAt < at;
}

/** The request's inputs whose links stop working before `at`, named as the user knows them. */
export function expiredInputs(request: GenerationRequest, at: number): string[] {
  const expired = (input: MediaInput) => expiresBefore(input, at);
  const names: string[] = [];
  for (const [field, label] of Object.entries(singleInputs)) {
    const input = request[field as keyof typeof singleInputs];
    if (input && expired(input)) names.push(named(input, `the ${label}`));
  }
  for (const [field, label] of Object.entries(listInputs)) {
    request[field as keyof typeof listInputs].forEach((input, index) => {
      if (expired(input)) names.push(named(input, `@${label}${index + 1}`));
    });
  }
  return names;
}

/** What to tell the user: which inputs, why, and what to do instead. */
export function expiredInputsMessage(names: readonly string[]): string {
  const one = names.length === 1;
  const list = one ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `The ${one ? "link" : "links"} to ${list} ${one ? "has" : "have"} expired (uploaded files stay reachable for a limited time), so this video cannot be made from ${one ? "it" : "them"}. Nothing was charged. Attach the ${one ? "file" : "files"} again in a new request.`;
}
