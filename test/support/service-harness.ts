import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobOrigin } from "../../src/jobs/job.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import type { UsagePolicySettings } from "../../src/policy/usage-policy.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import type { ServiceSettings } from "../../src/service/service-context.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import {
  RecordingChatAdapter,
  type RecordingChatAdapterOptions,
} from "./recording-chat-adapter.ts";

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
 * The real service, SQLite store and Oxen provider against a fake hub on loopback, with a recording
 * chat adapter. `boot()` can be called again on the same data directory to simulate a restart.
 */
export async function createHarness(
  settings: Partial<ServiceSettings> = {},
  policy: Partial<UsagePolicySettings> = {},
) {
  const fake = await startFakeOxenServer();
  const directory = mkdtempSync(join(tmpdir(), "seedance-service-"));
  const running: ServiceUnderTest[] = [];

  async function boot(adapterOptions: RecordingChatAdapterOptions = {}): Promise<ServiceUnderTest> {
    const store = openSqliteJobStore({ path: join(directory, "jobs.sqlite") });
    const provider = createOxenProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: createSilentLogger(),
    });
    const service = new GenerationService({
      store,
      provider,
      logger: createSilentLogger(),
      settings: {
        videoDirectory: join(directory, "videos"),
        unknownOutcomeChecks: 1,
        maxJobsPerUser: 0,
        ...settings,
      },
      policy,
    });
    const adapter = new RecordingChatAdapter("test", adapterOptions);
    service.registerAdapter(adapter);
    await service.start();
    const instance = {
      service,
      store,
      adapter,
      async close() {
        await service.stop();
        await store.close();
        running.splice(running.indexOf(instance), 1);
      },
    };
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
