/** Error codes after which the request certainly never reached the server. */
const notSentCodes = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * The request failed below HTTP (refused, reset, timed out). `requestMayHaveBeenSent` says whether
 * the server may have acted on it; callers decide what that means for a create.
 */
export class TransportError extends Error {
  readonly code: string | undefined;
  readonly requestMayHaveBeenSent: boolean;

  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TransportError";
    this.code = options.code;
    this.requestMayHaveBeenSent = !notSentCodes.has(options.code ?? "");
  }

  /** A UrlPolicyError (such as a blocked address found at connect time) is passed through. */
  static from(error: unknown): TransportError | UrlPolicyError {
    if (error instanceof TransportError || error instanceof UrlPolicyError) return error;
    const code = errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    return new TransportError(code ? `${message} (${code})` : message, {
      cause: error,
      ...(code ? { code } : {}),
    });
  }
}

/**
 * A URL or redirect we refuse to follow: not http(s), a downgrade to http, too many hops, or a
 * private or local address.
 */
export class UrlPolicyError extends Error {
  readonly code:
    | "UNSUPPORTED_PROTOCOL"
    | "INSECURE_REDIRECT"
    | "TOO_MANY_REDIRECTS"
    | "BLOCKED_ADDRESS";

  constructor(message: string, code: UrlPolicyError["code"]) {
    super(message);
    this.name = "UrlPolicyError";
    this.code = code;
  }
}

/** An answer larger than the caller reads: it is not parsed, and asking again will not help. */
export class ResponseTooLargeError extends Error {
  readonly code = "RESPONSE_TOO_LARGE";
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`The answer is larger than the ${maxBytes} bytes this bot reads.`);
    this.name = "ResponseTooLargeError";
    this.maxBytes = maxBytes;
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return undefined;
}
