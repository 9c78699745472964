import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import {
  createUnifiedTaskProvider,
  type UnifiedTaskDialectName,
  type UnifiedTaskProvider,
} from "../../../src/providers/unified-task/index.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import type { GenerationService } from "../../../src/service/generation-service.ts";
import type { ServiceSettings } from "../../../src/service/service-context.ts";
import {
  type FakeUnifiedTaskOptions,
  startFakeUnifiedTaskServer,
} from "../../fakes/fake-unified-task-server.ts";
import type { RecordingChatAdapter } from "../../support/recording-chat-adapter.ts";
import { startService } from "../../support/service-harness.ts";

export interface UnifiedServiceUnderTest {
  service: GenerationService;
  store: JobStore;
  provider: UnifiedTaskProvider;
  adapter: RecordingChatAdapter;
  close(): Promise<void>;
}

/**
 * The real service, SQLite store and unified-task provider against the fake API on loopback, with
 * a recording chat adapter and the bot's real HTTP server taking callbacks. `boot()` again on the
 * same data directory is a restart.
 */
export async function createUnifiedTaskHarness(
  dialect: UnifiedTaskDialectName,
  options: { fake?: Partial<FakeUnifiedTaskOptions>; settings?: Partial<ServiceSettings> } = {},
) {
  const fake = await startFakeUnifiedTaskServer({ dialect, ...options.fake });
  const directory = mkdtempSync(join(tmpdir(), "seedance-unified-"));
  const server = new HttpServer(createSilentLogger());
  const address = await server.listen(0, "127.0.0.1");
  const running: UnifiedServiceUnderTest[] = [];
  let current: UnifiedTaskProvider | undefined;
  server.route("POST", `/provider-callbacks/${dialect}/`, (request, response) => {
    const route = current?.callbackRoute;
    if (!route) throw new Error("no provider is taking callbacks");
    return route.handler(request, response);
  });

  async function boot(): Promise<UnifiedServiceUnderTest> {
    const provider = createUnifiedTaskProvider({
      dialect,
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      logger: createSilentLogger(),
      callbackBaseUrl: `http://127.0.0.1:${address.port}`,
      // The fake's CDN is on loopback too: trusted, as OUTBOUND_ALLOWED_HOSTS would make it.
      trustedHosts: [fake.cdnBaseUrl],
      random: () => 0.5,
    });
    current = provider;
    const instance: UnifiedServiceUnderTest = await startService({
      directory,
      provider,
      settings: options.settings ?? {},
      onClose: () => running.splice(running.indexOf(instance), 1),
    });
    running.push(instance);
    return instance;
  }

  return {
    fake,
    directory,
    boot,
    async close() {
      for (const instance of [...running]) await instance.close();
      await server.close();
      await fake.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
