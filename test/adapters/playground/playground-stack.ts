import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createPlaygroundAdapter,
  type PlaygroundAdapter,
  type PlaygroundAdapterOptions,
} from "../../../adapters/playground/index.ts";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { createHttpMediaHost, type HttpMediaHost } from "../../../src/media/index.ts";
import type { MediaHost } from "../../../src/media/media-host.ts";
import type { ChatMetrics } from "../../../src/observability/chat-metrics.ts";
import type { UsagePolicySettings } from "../../../src/policy/usage-policy.ts";
import type {
  GenerationProvider,
  SubmitInput,
} from "../../../src/providers/generation-provider.ts";
import { createSimulatorProvider } from "../../../src/providers/simulator/index.ts";
import { HttpServer, registerLiveness } from "../../../src/server/http-server.ts";
import { GenerationService } from "../../../src/service/generation-service.ts";
import { countSubmissions } from "../../contracts/chat-adapter.contract.ts";

export interface PlaygroundStack {
  baseUrl: string;
  adapter: PlaygroundAdapter;
  service: GenerationService;
  mediaHost: HttpMediaHost;
  directory: string;
  submissions(): number;
  /** What reached the provider, in order. */
  submits: SubmitInput[];
  close(): Promise<void>;
}

export interface PlaygroundStackOptions {
  /** Simulated generation time per job. */
  delayMs: number;
  /** A real provider (against a fake) instead of the simulator; cards then say nothing of a simulation. */
  provider?: GenerationProvider;
  /** MEDIA_HOST's host when it is not the bot's server, as `src/main.ts` passes it. */
  providerHost?: MediaHost;
  /** PUBLIC_BASE_URL as the provider sees it (links it is given); the stack still listens on loopback. */
  publicBaseUrl?: string;
  token?: string;
  simulated?: boolean;
  /** Daily budgets, access lists, blocked prompts. */
  policy?: Partial<UsagePolicySettings>;
  /** The adapter's metrics, made once the service exists (as `src/main.ts` does). */
  metrics?: (service: GenerationService, store: JobStore) => ChatMetrics;
  /** Bounds, clock and session settings passed to the adapter as `src/main.ts` passes them. */
  adapter?: Pick<
    PlaygroundAdapterOptions,
    "now" | "sessionTtlMs" | "tokenAttempts" | "uploads" | "events"
  >;
}

export const testSigningSecret = "test-secret-that-is-at-least-32-characters";

/**
 * The whole bot as `npm start` wires it with nothing configured — simulator, generation service,
 * media host, playground — on 127.0.0.1 port 0, in a fresh data directory.
 */
export async function startPlaygroundStack(
  options: PlaygroundStackOptions,
): Promise<PlaygroundStack> {
  const directory = await mkdtemp(join(tmpdir(), "seedance-playground-"));
  const logger = createSilentLogger();
  const counted = countSubmissions(
    options.provider ??
      createSimulatorProvider({
        delayMs: options.delayMs,
        ffmpegPath: null,
        dataDirectory: join(directory, "simulator"),
        logger,
      }),
  );
  const submits: SubmitInput[] = [];
  const provider = {
    ...counted.provider,
    submit: (input: SubmitInput) => {
      submits.push(input);
      return counted.provider.submit(input);
    },
  };
  const store = createMemoryJobStore();
  const service = new GenerationService({
    store,
    provider,
    logger,
    settings: { videoDirectory: join(directory, "videos") },
    ...(options.policy ? { policy: options.policy } : {}),
    // Extend's last frames go through the media host below, as `src/main.ts` wires the simulator.
    frameHost: {
      publish: (source, publishOptions) => mediaHost.publish(source, publishOptions),
      resolveLocalPath: (url) => mediaHost.resolveLocalPath(url),
    },
  });
  const server = new HttpServer(logger);
  registerLiveness(server);
  const address = await server.listen(0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const publicBaseUrl = options.publicBaseUrl ?? baseUrl;
  const mediaHost = createHttpMediaHost({
    server,
    directory: join(directory, "media"),
    secret: testSigningSecret,
    publicBaseUrl,
    logger,
  });
  const adapter = createPlaygroundAdapter({
    service,
    server,
    mediaHost,
    ...(options.providerHost ? { providerHost: options.providerHost } : {}),
    logger,
    token: options.token,
    simulated: options.simulated ?? !options.provider,
    publicBaseUrl,
    ...(options.metrics ? { metrics: options.metrics(service, store) } : {}),
    ...options.adapter,
  });
  service.registerAdapter(adapter);
  await mediaHost.start();
  await adapter.start();
  await service.start();
  return {
    baseUrl,
    adapter,
    service,
    mediaHost,
    directory,
    submissions: counted.count,
    submits,
    async close() {
      await adapter.stop();
      await server.close();
      await service.stop();
      mediaHost.stop();
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
