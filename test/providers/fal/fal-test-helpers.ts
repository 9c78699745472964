import { Agent } from "undici";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
import {
  createFalProvider,
  type FalProvider,
  type FalProviderOptions,
  falCatalog,
} from "../../../src/providers/fal/index.ts";
import type { SubmitInput } from "../../../src/providers/generation-provider.ts";
import { type FakeFalServer, startFakeFalServer } from "../../fakes/fake-fal-server.ts";
import {
  type CapturedLogs,
  captureLogs,
  type RecordingListener,
  recordingListener,
} from "../oxen/oxen-test-helpers.ts";

let jobCounter = 0;

export function falSubmitInput(input: Partial<GenerationRequestInput> = {}): SubmitInput {
  const request = generationRequestSchema.parse({ mode: "text", prompt: "a kite", ...input });
  jobCounter += 1;
  return {
    jobId: `fal-job-${jobCounter}`,
    model: falCatalog[request.mode][request.tier],
    request,
    createdAt: Date.now(),
  };
}

export interface FalUnderTest {
  fake: FakeFalServer;
  provider: FalProvider;
  listener: RecordingListener;
  logs: CapturedLogs;
  close(): Promise<void>;
}

export async function falAgainstFake(
  options: { provider?: Partial<FalProviderOptions>; start?: boolean } = {},
): Promise<FalUnderTest> {
  const fake = await startFakeFalServer();
  const dispatcher = new Agent({ headersTimeout: 500, bodyTimeout: 500, connectTimeout: 500 });
  const logs = captureLogs();
  const provider = createFalProvider({
    apiKey: fake.apiKey,
    queueUrl: fake.baseUrl,
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
