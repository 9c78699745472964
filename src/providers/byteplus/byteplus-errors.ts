import type { IncomingHttpHeaders } from "node:http";
import { ProviderError } from "../../errors.ts";
import { headerValue } from "../../http/request-json.ts";
import { parseRetryAfter } from "../../util/backoff.ts";
import { arkErrorEnvelopeSchema } from "./byteplus-schemas.ts";

export const byteplusLabel = { name: "byteplus", label: "BytePlus ModelArk" } as const;

const maxTextLength = 300;

/** Ark's `error.code` and `error.message`, bounded. */
export function arkErrorParts(error: unknown): { code?: string; text?: string } {
  const parsed = arkErrorEnvelopeSchema.safeParse({ error });
  const value = parsed.success ? parsed.data.error : undefined;
  const code =
    value?.code === undefined || value.code === null ? undefined : String(value.code).trim();
  const text = value?.message?.trim();
  return {
    ...(code ? { code } : {}),
    ...(text
      ? { text: text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text }
      : {}),
  };
}

/** `InputTextSensitiveContentDetected`, `OutputVideoSensitiveContentDetected`, … */
export function isModeration(code: string | undefined): boolean {
  return /SensitiveContent|ContentSecurity|PolicyViolation/i.test(code ?? "");
}

/** Why a task failed, in words from its class first, Ark's code and text after. */
export function describeArkFailure(error: unknown): string {
  const { code, text } = arkErrorParts(error);
  const detail = [code, text].filter(Boolean).join(": ");
  const suffix = detail ? ` (${detail})` : "";
  if (isModeration(code)) {
    return `BytePlus's content filter blocked this video: the prompt or the files were refused, not the bot; change them and try again.${suffix}`;
  }
  return `BytePlus could not make the video; press 🔁 to try again.${suffix}`;
}

function httpMessage(statusCode: number, parts: { code?: string; text?: string }): string {
  const said = parts.text ?? parts.code ?? `HTTP ${statusCode}`;
  if (isModeration(parts.code))
    return describeArkFailure({ code: parts.code, message: parts.text });
  switch (statusCode) {
    case 401:
      return "BytePlus refused the bot's key; tell the bot's operator to check ARK_API_KEY.";
    case 403:
      return `BytePlus denied the bot's key this model (${said}); tell the bot's operator to activate Seedance 2.0 for the key's project in the ap-southeast region and check the account's balance.`;
    case 429:
      return `BytePlus is busy or the account has 120 tasks queued (${said}); the bot waits and tries again.`;
  }
  if (statusCode >= 500)
    return `BytePlus had a temporary fault (HTTP ${statusCode}); the bot tries again.`;
  return `BytePlus rejected the request: ${said}`;
}

export function arkResponseError(
  response: { statusCode: number; headers?: IncomingHttpHeaders; body: unknown },
  options: { now: number; outcomeUnknown?: boolean; context?: string },
): ProviderError {
  const envelope = arkErrorEnvelopeSchema.safeParse(response.body);
  const parts = arkErrorParts(envelope.success ? envelope.data.error : undefined);
  const retryAfterMs = parseRetryAfter(headerValue(response.headers?.["retry-after"]), options.now);
  const text = httpMessage(response.statusCode, parts);
  return new ProviderError({
    message: options.context ? `${options.context}: ${text}` : text,
    provider: byteplusLabel.name,
    statusCode: response.statusCode,
    ...(parts.code ? { providerCode: parts.code } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(isModeration(parts.code) ? { retryable: false } : {}),
    ...(options.outcomeUnknown ? { outcomeUnknown: true, retryable: true } : {}),
  });
}
