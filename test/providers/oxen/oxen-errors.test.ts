import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/errors.ts";
import {
  oxenErrorCode,
  oxenErrorText,
  oxenResponseError,
} from "../../../src/providers/oxen/oxen-errors.ts";

describe("Oxen error envelopes", () => {
  it("reads the detail of the typed envelope before its title", () => {
    const body = {
      error: {
        type: "invalid_params",
        title: "Invalid parameters supplied",
        detail: "duration 3 is invalid",
      },
      status: "error",
      status_message: "invalid_params",
    };
    expect(oxenErrorText(body)).toBe("duration 3 is invalid");
    expect(oxenErrorCode(body)).toBe("invalid_params");
  });

  it("reads error.message, then error.title, then error_message, then status_message", () => {
    expect(oxenErrorText({ error: { message: "Model not found: bad-model" } })).toBe(
      "Model not found: bad-model",
    );
    expect(
      oxenErrorText({
        error: { type: "resource_not_found", title: "The requested resource could not be found" },
      }),
    ).toBe("The requested resource could not be found");
    expect(oxenErrorText({ error_message: "Insufficient credits" })).toBe("Insufficient credits");
    expect(oxenErrorText({ status: "error", status_message: "unauthenticated" })).toBe(
      "unauthenticated",
    );
  });

  it("takes a string error first and skips empty values", () => {
    expect(oxenErrorText({ error: "Rate limit exceeded", status_message: "x" })).toBe(
      "Rate limit exceeded",
    );
    expect(oxenErrorText({ error: { detail: "  ", message: "" }, error_message: "fallback" })).toBe(
      "fallback",
    );
    expect(oxenErrorText({ error: null, status_message: "unknown_error" })).toBe("unknown_error");
  });

  it("keeps short plain-text bodies and drops HTML pages", () => {
    expect(oxenErrorText("Bad Gateway")).toBe("Bad Gateway");
    expect(oxenErrorText("<html><body>502</body></html>")).toBeUndefined();
    expect(oxenErrorText(undefined)).toBeUndefined();
  });

  it("builds a ProviderError whose retryability follows the status", () => {
    const invalid = oxenResponseError({
      statusCode: 400,
      body: {
        error: {
          type: "invalid_request",
          detail: "num_generations must be an integer between 1 and 4",
        },
      },
    });
    expect(invalid).toBeInstanceOf(ProviderError);
    expect(invalid).toMatchObject({
      message: "num_generations must be an integer between 1 and 4",
      provider: "oxen",
      statusCode: 400,
      providerCode: "invalid_request",
      retryable: false,
      outcomeUnknown: false,
    });

    const limited = oxenResponseError(
      { statusCode: 429, headers: { "retry-after": "7" }, body: { error: "Rate limit exceeded" } },
      { now: 0 },
    );
    expect(limited).toMatchObject({
      statusCode: 429,
      retryable: true,
      retryAfterMs: 7_000,
      code: "RATE_LIMITED",
    });

    const broken = oxenResponseError({ statusCode: 503, body: undefined });
    expect(broken).toMatchObject({ message: "Oxen answered HTTP 503", retryable: true });
  });
});
