import type { IncomingHttpHeaders } from "node:http";
import { ProviderError } from "../../errors.ts";
import { headerValue } from "../../http/request-json.ts";
import { parseRetryAfter } from "../../util/backoff.ts";
import { falErrorSchema } from "./fal-schemas.ts";

export const falLabel = { name: "fal", label: "fal.ai" } as const;

const maxTextLength = 300;
const moderationPattern = /content[_ ]policy|content checker|nsfw|sensitive|moderat/i;

/** fal's own words and machine type, from `{detail}` in either shape. */
export function falErrorParts(body: unknown): { text?: string; type?: string } {
  const parsed = falErrorSchema.safeParse(body);
  if (!parsed.success) return {};
  const { detail, error_type } = parsed.data;
  const first = Array.isArray(detail) ? detail[0] : undefined;
  const raw = typeof detail === "string" ? detail : (first?.msg ?? undefined);
  const field = first?.loc?.filter((part) => part !== "body").join(".");
  const text = raw?.trim() ? `${field ? `${field}: ` : ""}${raw.trim()}` : undefined;
  const type = error_type?.trim() || first?.type?.trim() || undefined;
  return {
    ...(text
      ? { text: text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text }
      : {}),
    ...(type ? { type } : {}),
  };
}

/** A content-filter refusal: never retried, worded as the content's fault, not the bot's. */
export function isModeration(parts: { text?: string; type?: string }): boolean {
  return moderationPattern.test(parts.type ?? "") || moderationPattern.test(parts.text ?? "");
}

export function moderationMessage(text: string | undefined): string {
  return `fal.ai's content filter blocked this video: the prompt or the files were refused, not the bot; change them and try again.${text ? ` (${text})` : ""}`;
}

/** The user's words for an HTTP error, by failure class first, fal's own text after. */
export function falHttpMessage(
  statusCode: number,
  parts: { text?: string; type?: string },
): string {
  const said = parts.text ?? `HTTP ${statusCode}`;
  if (isModeration(parts)) return moderationMessage(parts.text);
  switch (statusCode) {
    case 401:
      return "fal.ai refused the bot's key; tell the bot's operator to check FAL_KEY.";
    case 403:
      return `fal.ai denied the bot's key access to Seedance 2.0 (${said}); tell the bot's operator to check the key's account, its balance and the model's availability.`;
    case 429:
      return "fal.ai is rate limiting requests; the bot waits and tries again.";
  }
  if (statusCode === 422 || statusCode === 400) return `fal.ai rejected the request: ${said}`;
  if (statusCode >= 500)
    return `fal.ai had a temporary fault (HTTP ${statusCode}); the bot tries again.`;
  return `fal.ai answered HTTP ${statusCode}: ${said}`;
}

export function falResponseError(
  response: { statusCode: number; headers?: IncomingHttpHeaders; body: unknown },
  options: { now: number; outcomeUnknown?: boolean; context?: string },
): ProviderError {
  const parts = falErrorParts(response.body);
  const retryAfterMs = parseRetryAfter(headerValue(response.headers?.["retry-after"]), options.now);
  const text = falHttpMessage(response.statusCode, parts);
  return new ProviderError({
    message: options.context ? `${options.context}: ${text}` : text,
    provider: falLabel.name,
    statusCode: response.statusCode,
    ...(parts.type ? { providerCode: parts.type } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(isModeration(parts) ? { retryable: false } : {}),
    ...(options.outcomeUnknown ? { outcomeUnknown: true, retryable: true } : {}),
  });
}
