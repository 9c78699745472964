import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobOrigin } from "../../src/jobs/job.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import type { UsagePolicySettings } from "../../src/policy/usage-policy.ts";
import type { GenerationProvider } from "../../src/providers/generation-provider.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import type { ServiceSettings } from "../../src/service/service-context.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import {
  RecordingChatAdapter,
  type RecordingChatAdapterOptions,
} from "./recording-chat-adapter.ts";
import { steppingRandom } from "./stepping-random.ts";

export const origin: JobOrigin = {
  platform: "test",
  spaceId: "space-1",
  channelId: "channel-1",
  threadId: "thread-1",
  messageId: "message-1",
  userId: "user-1",
  userName: "Ada",
};

export interface ServiceUnderTest {
  service: GenerationService;
  store: JobStore;
  adapter: RecordingChatAdapter;
  close(): Promise<void>;
}

/**
 * The real service and SQLite store in `directory` with `provider`, a recording chat adapter
 * registered, started. Starting again on the same directory is a restart.
 */
export async function startService<Provider extends GenerationProvider>(options: {
  directory: string;
  provider: Provider;
  settings?: Partial<ServiceSettings>;
  policy?: Partial<UsagePolicySettings>;
  adapterOptions?: RecordingChatAdapterOptions;
  onClose?: () => void;
  now?: () => number;
}): Promise<ServiceUnderTest & { provider: Provider }> {
  const store = openSqliteJobStore({ path: join(options.directory, "jobs.sqlite") });
  const service = new GenerationService({
    store,
    provider: options.provider,
    logger: createSilentLogger(),
    settings: {
      videoDirectory: join(options.directory, "videos"),
      unknownOutcomeChecks: 1,
      ...options.settings,
    },
    policy: options.policy ?? {},
    ...(options.now ? { now: options.now } : {}),
    // Seeds and backoff jitter without chance.
    random: steppingRandom(),
  });
  const adapter = new RecordingChatAdapter("test", options.adapterOptions ?? {});
  service.registerAdapter(adapter);
  await service.start();
  return {
    service,
    store,
    adapter,
    provider: options.provider,
    async close() {
      await service.stop();
      await store.close();
      options.onClose?.();
    },
  };
}

/**
 * The real service, SQLite store and Oxen provider against a fake hub on loopback, with a recording
 * chat adapter. `boot()` can be called again on the same data directory to simulate a restart.
 */
export async function createHarness(
  settings: Partial<ServiceSettings> = {},
  policy: Partial<UsagePolicySettings> = {},
  clock: { now?: () => number } = {},
) {
  const fake = await startFakeOxenServer();
  const directory = mkdtempSync(join(tmpdir(), "seedance-service-"));
  const running: ServiceUnderTest[] = [];

  async function boot(adapterOptions: RecordingChatAdapterOptions = {}): Promise<ServiceUnderTest> {
    const provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: createSilentLogger(),
    });
    const instance = await startService({
      directory,
      provider,
      settings: { maxJobsPerUser: 0, ...settings },
      policy,
      adapterOptions,
      ...(clock.now ? { now: clock.now } : {}),
      onClose: () => running.splice(running.indexOf(instance), 1),
    });
    running.push(instance);
    return instance;
  }

  return {
    fake: fake as FakeOxenServer,
    directory,
    boot,
    /** Provider requests made about one generation (by id in the path, or its create call). */
    requestsAbout(providerJobId: string) {
      return fake.requests.filter((request) => request.pathname.includes(providerJobId));
    },
    async close() {
      for (const instance of [...running]) await instance.close();
      await fake.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
