import type { Readable } from "node:stream";
import {
  type GenerationRequestInput,
  generationRequestSchema,
} from "../../../src/domain/generation-request.ts";
import { oxenCatalog } from "../../../src/domain/model-catalog.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import type {
  GenerationProvider,
  ProviderListener,
  ProviderUpdate,
  SubmitInput,
} from "../../../src/providers/generation-provider.ts";
import {
  createSimulatorProvider,
  type SimulatorProviderOptions,
} from "../../../src/providers/simulator/index.ts";

let jobCounter = 0;

/** What the service would pass: the parsed request and the catalog entry for its mode and tier. */
export function submitInput(request: GenerationRequestInput, jobId?: string): SubmitInput {
  const parsed = generationRequestSchema.parse(request);
  jobCounter += 1;
  return {
    jobId: jobId ?? `job-${jobCounter}`,
    model: oxenCatalog[parsed.mode][parsed.tier],
    request: parsed,
    createdAt: Date.now(),
  };
}

export interface RecordingListener extends ProviderListener {
  updates: ProviderUpdate[];
  connections: number;
  updatesFor(providerJobId: string): ProviderUpdate[];
}

export function recordingListener(): RecordingListener {
  const listener: RecordingListener = {
    updates: [],
    connections: 0,
    onUpdate: (update) => listener.updates.push(update),
    onConnected: () => {
      listener.connections += 1;
    },
    onDisconnected: () => {},
    updatesFor: (id) => listener.updates.filter((update) => update.providerJobId === id),
  };
  return listener;
}

/** A started simulator that never renders (unit tests stay fast and deterministic). */
export async function startedSimulator(
  options: Partial<SimulatorProviderOptions> = {},
): Promise<{ provider: GenerationProvider; listener: RecordingListener }> {
  const provider = createSimulatorProvider({
    ffmpegPath: null,
    logger: createSilentLogger(),
    ...options,
  });
  const listener = recordingListener();
  await provider.start(listener);
  return { provider, listener };
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
