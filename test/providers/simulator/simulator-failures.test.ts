import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { GenerationRequestInput } from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { validateRequest } from "../../../src/domain/validate-request.ts";
import { ProviderError, UserFacingError } from "../../../src/errors.ts";
import type { GenerationProvider } from "../../../src/providers/generation-provider.ts";
import { simulatedFailures } from "../../../src/providers/simulator/index.ts";
import { startedSimulator, submitInput } from "./simulator-harness.ts";

const fakeTimers = {
  toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
} as const;

describe("simulator provider: failure rehearsal", () => {
  let provider: GenerationProvider | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: [...fakeTimers.toFake] });
  });

  afterEach(async () => {
    await provider?.stop();
    vi.useRealTimers();
  });

  async function finalUpdate(prompt: string, options: Parameters<typeof startedSimulator>[0]) {
    const started = await startedSimulator({ delayMs: 1000, ...options });
    provider = started.provider;
    const { providerJobId } = await provider.submit(submitInput({ mode: "text", prompt }));
    await vi.advanceTimersByTimeAsync(1000);
    return started.listener.updatesFor(providerJobId).at(-1);
  }

  it("[fail] fails at the end of the run with a provider-style reason", async () => {
    const update = await finalUpdate("a red car [fail]", {});
    expect(update?.state).toBe("failed");
    expect(update?.error).toBe(simulatedFailures.provider);
    expect(update?.error).toMatch(/^InternalServiceError: .*simulated/);
    expect(update?.resultUrl).toBeUndefined();
  });

  it("[fail:face] fails with a content-filter reason that names a human face", async () => {
    const update = await finalUpdate("my portrait [FAIL:FACE] smiling", {});
    expect(update?.state).toBe("failed");
    expect(update?.error).toMatch(/content filter/);
    expect(update?.error).toMatch(/human face/);
  });

  it("fails at the configured rate, drawing from the injected random source", async () => {
    const failed = await finalUpdate("a storm", { failureRate: 0.25, random: () => 0.1 });
    expect(failed?.state).toBe("failed");
    expect(simulatedFailures.random).toContain(failed?.error);
    await provider?.stop();

    const succeeded = await finalUpdate("a calm sea", { failureRate: 0.25, random: () => 0.3 });
    expect(succeeded?.state).toBe("succeeded");
  });

  it("refuses to open the result of a failed job", async () => {
    const update = await finalUpdate("a red car [fail]", {});
    await expect(provider?.openResult(`simulator://${update?.providerJobId}`)).rejects.toThrow(
      ProviderError,
    );
  });

  it("rejects out-of-range settings", async () => {
    await expect(startedSimulator({ failureRate: 1.5 })).rejects.toThrow(
      /SIMULATOR_FAILURE_RATE 1.5/,
    );
    await expect(startedSimulator({ delayMs: -1 })).rejects.toThrow(/SIMULATOR_DELAY_MS -1/);
  });
});

describe("simulator provider: validation parity with the Oxen models", () => {
  let provider: GenerationProvider;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: [...fakeTimers.toFake] });
    ({ provider } = await startedSimulator());
  });

  afterEach(async () => {
    await provider.stop();
    vi.useRealTimers();
  });

  it("offers the Oxen catalog: same model ids, same limits", () => {
    expect(provider.catalog).toEqual(oxenCatalog);
    expect(provider.catalog.image.fast.id).toBe("bytedance-seedance-2-0-fast-image-to-video");
  });

  const invalid: [string, GenerationRequestInput, string][] = [
    [
      "duration 3",
      { mode: "text", prompt: "a boat", duration: 3 },
      "Duration 3 is out of range; use 4–15 seconds, or auto to let the model decide.",
    ],
    [
      "1080p on the fast tier",
      { mode: "text", tier: "fast", prompt: "a boat", resolution: "1080p" },
      "Resolution 1080p is not available on the fast tier (drop --fast for more); choose 480p, 720p.",
    ],
    [
      "an empty prompt",
      { mode: "text", prompt: "   " },
      "The prompt is empty; describe the video in 1–5000 characters.",
    ],
  ];

  it.each(invalid)("rejects %s with the same UserFacingError", async (_name, request, message) => {
    const input = submitInput(request);
    const expected = captureError(() => validateRequest(input.request, input.model.limits));
    const error = await provider.submit(input).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({
      message,
      field: expected.field,
      code: "INVALID_REQUEST",
      retryable: false,
    });
    expect((error as UserFacingError).message).toBe(expected.message);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects a model it does not offer", async () => {
    const input = { ...submitInput({ mode: "text", prompt: "a boat" }) };
    input.model = { ...input.model, id: "some-other-model" };
    await expect(provider.submit(input)).rejects.toMatchObject({
      name: "ProviderError",
      retryable: false,
    });
  });
});

function captureError(action: () => unknown): UserFacingError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserFacingError) return error;
  }
  throw new Error("expected a UserFacingError");
}
