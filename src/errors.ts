export type ErrorCode =
  | "CONFIG_INVALID"
  | "INVALID_REQUEST"
  | "PROVIDER_FAILED"
  | "PROVIDER_OUTCOME_UNKNOWN"
  | "RATE_LIMITED"
  | "PLATFORM_FAILED"
  | "JOB_NOT_FOUND"
  | "REPEATED_REQUEST"
  | "MEDIA_REJECTED"
  | "MEDIA_EXPIRED"
  | "STORAGE_FAILED";

export interface BotErrorOptions {
  message: string;
  code: ErrorCode;
  retryable?: boolean;
  cause?: unknown;
}

/** Base of every error the bot raises on purpose; `retryable` says whether trying again can help. */
export class BotError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor({ message, code, retryable = false, cause }: BotErrorOptions) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
  }
}

/** Safe to show to the person who made the request; the message says what to change. */
export class UserFacingError extends BotError {
  readonly field: string | undefined;

  constructor(
    message: string,
    options: { field?: string; code?: ErrorCode; retryable?: boolean; cause?: unknown } = {},
  ) {
    super({
      message,
      code: options.code ?? "INVALID_REQUEST",
      retryable: options.retryable ?? false,
      cause: options.cause,
    });
    this.field = options.field;
  }
}

export interface ProviderErrorOptions {
  message: string;
  provider: string;
  statusCode?: number;
  providerCode?: string;
  retryAfterMs?: number;
  retryable?: boolean;
  /** The request may or may not have reached the provider (timeout, reset, 5xx on a create). */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

export class ProviderError extends BotError {
  readonly provider: string;
  readonly statusCode: number | undefined;
  readonly providerCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly outcomeUnknown: boolean;

  constructor(options: ProviderErrorOptions) {
    // A create that may have landed must never be blindly re-sent, so it is not "retryable".
    const retryable =
      options.retryable ??
      (!options.outcomeUnknown &&
        (options.statusCode === undefined ||
          options.statusCode === 408 ||
          options.statusCode === 429 ||
          options.statusCode >= 500));
    super({
      message: options.message,
      code: options.outcomeUnknown
        ? "PROVIDER_OUTCOME_UNKNOWN"
        : options.statusCode === 429
          ? "RATE_LIMITED"
          : "PROVIDER_FAILED",
      retryable,
      cause: options.cause,
    });
    this.provider = options.provider;
    this.statusCode = options.statusCode;
    this.providerCode = options.providerCode;
    this.retryAfterMs = options.retryAfterMs;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

/** A chat platform refused or failed a call (upload, edit, post). */
export class PlatformError extends BotError {
  readonly platform: string;
  readonly statusCode: number | undefined;

  constructor(options: {
    message: string;
    platform: string;
    statusCode?: number;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super({
      message: options.message,
      code: "PLATFORM_FAILED",
      retryable: options.retryable ?? true,
      cause: options.cause,
    });
    this.platform = options.platform;
    this.statusCode = options.statusCode;
  }
}

export class ConfigError extends BotError {
  constructor(message: string) {
    super({ message, code: "CONFIG_INVALID" });
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof BotError ? error.retryable : true;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
