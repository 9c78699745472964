import { Agent } from "undici";
import { vi } from "vitest";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
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
  type CapturedLogs,
  captureLogs,
  type RecordingListener,
  recordingListener,
} from "../oxen/oxen-test-helpers.ts";

export const dialects: readonly UnifiedTaskDialectName[] = ["aihubmax", "evolink"];

let jobCounter = 0;

/** What the service would pass: the parsed request and the dialect's catalog entry. */
export function submitInput(
  dialect: UnifiedTaskDialectName,
  input: Partial<GenerationRequestInput> = {},
): SubmitInput {
  const request = generationRequestSchema.parse({
    mode: "text",
    prompt: "a red kite over the sea",
    ...input,
  });
  jobCounter += 1;
  return {
    jobId: `job-${jobCounter}`,
    model: unifiedTaskDialects[dialect].catalog[request.mode][request.tier],
    request,
    createdAt: Date.now(),
  };
}

export interface ProviderUnderTest {
  fake: FakeUnifiedTaskServer;
  provider: UnifiedTaskProvider;
  listener: RecordingListener;
  logs: CapturedLogs;
  /** Short HTTP timeouts, so a hanging fake fails fast on real timers. */
  dispatcher: Agent;
  close(): Promise<void>;
}

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
  const dispatcher = new Agent({ headersTimeout: 200, bodyTimeout: 200, connectTimeout: 500 });
  const logs = captureLogs();
  const provider = createUnifiedTaskProvider({
    dialect,
    apiKey: fake.apiKey,
    baseUrl: fake.baseUrl,
    logger: logs.logger,
    dispatcher,
    sleep: async () => {},
    random: () => 0.5,
    ...options.provider,
  });
  const listener = recordingListener();
  if (options.start !== false) await provider.start(listener);
  return {
    fake,
    provider,
    listener,
    logs,
    dispatcher,
    async close() {
      await provider.stop();
      await dispatcher.destroy();
      await fake.close();
    },
  };
}

/** Fakes only timers and the clock: loopback I/O and setImmediate stay real. */
export function usePollerFakeTimers(): void {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
  });
}
