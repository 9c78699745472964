import { Agent } from "undici";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../src/domain/generation-request.ts";
import type { ModelCatalog } from "../../src/domain/model-catalog.ts";
import type { Logger } from "../../src/logger.ts";
import type { SubmitInput } from "../../src/providers/generation-provider.ts";
import {
  type CapturedLogs,
  captureLogs,
  type RecordingListener,
  recordingListener,
} from "./oxen/oxen-test-helpers.ts";

let jobCounter = 0;

/** What the service would pass: the parsed request and `catalog`'s entry for it. */
export function polledSubmitInput(
  catalog: ModelCatalog,
  options: { jobPrefix: string; prompt: string },
  input: Partial<GenerationRequestInput> = {},
): SubmitInput {
  const request = generationRequestSchema.parse({ mode: "text", prompt: options.prompt, ...input });
  jobCounter += 1;
  return {
    jobId: `${options.jobPrefix}-${jobCounter}`,
    model: catalog[request.mode][request.tier],
    request,
    createdAt: Date.now(),
  };
}

export interface PolledUnderTest<Fake, Provider> {
  fake: Fake;
  provider: Provider;
  listener: RecordingListener;
  logs: CapturedLogs;
  /** Short HTTP timeouts, so a hanging fake fails fast on real timers. */
  dispatcher: Agent;
  close(): Promise<void>;
}

/** What every polled provider under test is given: captured logs, short timeouts, no waits or jitter. */
export interface PolledTestOptions {
  logger: Logger;
  dispatcher: Agent;
  sleep: () => Promise<void>;
  random: () => number;
}

/** A started fake and a provider pointed at it (`create`); `start` runs the poller. */
export async function polledAgainstFake<
  Fake extends { close(): Promise<void> },
  Provider extends { start(listener: RecordingListener): Promise<void>; stop(): Promise<void> },
>(
  fake: Fake,
  create: (shared: PolledTestOptions) => Provider,
  options: { start?: boolean | undefined; headersTimeout: number },
): Promise<PolledUnderTest<Fake, Provider>> {
  const dispatcher = new Agent({
    headersTimeout: options.headersTimeout,
    bodyTimeout: options.headersTimeout,
    connectTimeout: 500,
  });
  const logs = captureLogs();
  const provider = create({
    logger: logs.logger,
    dispatcher,
    sleep: async () => {},
    random: () => 0.5,
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
