import { vi } from "vitest";
import type { GenerationRequestInput } from "../../../src/domain/generation-request.ts";
import type { SubmitInput } from "../../../src/providers/generation-provider.ts";
import {
  createUnifiedTaskProvider,
  type UnifiedTaskDialectName,
  type UnifiedTaskProvider,
  type UnifiedTaskProviderOptions,
  unifiedTaskDialects,
} from "../../../src/providers/unified-task/index.ts";
import {
  type FakeUnifiedTaskOptions,
  type FakeUnifiedTaskServer,
  startFakeUnifiedTaskServer,
} from "../../fakes/fake-unified-task-server.ts";
import {
  type PolledUnderTest,
  polledAgainstFake,
  polledSubmitInput,
} from "../polled-provider-under-test.ts";

/** The test dispatcher's headers and body timeouts. */
export const headersTimeoutMs = 200;

export const dialects: readonly UnifiedTaskDialectName[] = ["aihubmax", "evolink"];

/** What the service would pass: the parsed request and the dialect's catalog entry. */
export function submitInput(
  dialect: UnifiedTaskDialectName,
  input: Partial<GenerationRequestInput> = {},
): SubmitInput {
  return polledSubmitInput(
    unifiedTaskDialects[dialect].catalog,
    { jobPrefix: "job", prompt: "a red kite over the sea" },
    input,
  );
}

export type ProviderUnderTest = PolledUnderTest<FakeUnifiedTaskServer, UnifiedTaskProvider>;

/** A fake API in `dialect` and a provider pointed at it; `start` runs the poller. */
export async function providerAgainstFake(
  dialect: UnifiedTaskDialectName,
  options: {
    fake?: Partial<FakeUnifiedTaskOptions>;
    provider?: Partial<UnifiedTaskProviderOptions>;
    start?: boolean;
  } = {},
): Promise<ProviderUnderTest> {
  const fake = await startFakeUnifiedTaskServer({ dialect, ...options.fake });
  return polledAgainstFake(
    fake,
    (shared) =>
      createUnifiedTaskProvider({
        dialect,
        apiKey: fake.apiKey,
        baseUrl: fake.baseUrl,
        ...shared,
        ...options.provider,
      }),
    { headersTimeout: headersTimeoutMs, start: options.start },
  );
}

/** Fakes only timers and the clock: loopback I/O and setImmediate stay real. */
export function usePollerFakeTimers(): void {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
}
