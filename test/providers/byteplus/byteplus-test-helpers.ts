import { Agent } from "undici";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
import {
  type BytePlusProvider,
  type BytePlusProviderOptions,
  byteplusCatalog,
  createBytePlusProvider,
} from "../../../src/providers/byteplus/index.ts";
import type { SubmitInput } from "../../../src/providers/generation-provider.ts";
import {
  type FakeBytePlusServer,
  startFakeBytePlusServer,
} from "../../fakes/fake-byteplus-server.ts";
import {
  type CapturedLogs,
  captureLogs,
  type RecordingListener,
  recordingListener,
} from "../oxen/oxen-test-helpers.ts";

let jobCounter = 0;

export function arkSubmitInput(input: Partial<GenerationRequestInput> = {}): SubmitInput {
  const request = generationRequestSchema.parse({ mode: "text", prompt: "a kite", ...input });
  jobCounter += 1;
  return {
    jobId: `ark-job-${jobCounter}`,
    model: byteplusCatalog[request.mode][request.tier],
    request,
    createdAt: Date.now(),
  };
}

export interface BytePlusUnderTest {
  fake: FakeBytePlusServer;
  provider: BytePlusProvider;
  listener: RecordingListener;
  logs: CapturedLogs;
  close(): Promise<void>;
}

export async function byteplusAgainstFake(
  options: { provider?: Partial<BytePlusProviderOptions>; start?: boolean } = {},
): Promise<BytePlusUnderTest> {
  const fake = await startFakeBytePlusServer();
  const dispatcher = new Agent({ headersTimeout: 500, bodyTimeout: 500, connectTimeout: 500 });
  const logs = captureLogs();
  const provider = createBytePlusProvider({
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
    async close() {
      await provider.stop();
      await dispatcher.destroy();
      await fake.close();
    },
  };
}
