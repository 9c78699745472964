// A bot process to SIGKILL: the service, SQLite store and Oxen provider, wired as the service
// harness wires them (same data directory, same settings), in a child process of the test. It
// submits one job and reports each step as a JSON line on stdout, so the test knows when to kill.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { DeliverableVideo } from "../../../src/chat/chat-adapter.ts";
import type { Job } from "../../../src/jobs/job.ts";
import { openSqliteJobStore } from "../../../src/jobs/sqlite-job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { createOxenProvider } from "../../../src/providers/oxen/index.ts";
import { GenerationService } from "../../../src/service/generation-service.ts";
import { RecordingChatAdapter } from "../../support/recording-chat-adapter.ts";
import { origin } from "../../support/service-harness.ts";
import { type KillableConfiguration, platformLogName } from "./killable-configuration.ts";

function say(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

class StallingAdapter extends RecordingChatAdapter {
  readonly #configuration: KillableConfiguration;

  constructor(configuration: KillableConfiguration) {
    super("test");
    this.#configuration = configuration;
  }

  override async showStatus(job: Job): Promise<string> {
    // Told on the next turn of the event loop: a crash pending on this turn comes first.
    setImmediate(() => say({ event: "status", jobId: job.id, state: job.state }));
    return await super.showStatus(job);
  }

  override async deliver(job: Job, _video: DeliverableVideo): Promise<void> {
    const { upload, directory } = this.#configuration;
    if (upload !== "hang") {
      const line = JSON.stringify({ jobId: job.id, pid: process.pid });
      appendFileSync(join(directory, platformLogName), `${line}\n`);
    }
    say({ event: "uploading", jobId: job.id });
    if (upload !== "record") await new Promise(() => {});
  }
}

const configuration = JSON.parse(process.argv[2] ?? "{}") as KillableConfiguration;
const logger = createSilentLogger();
const store = openSqliteJobStore({ path: join(configuration.directory, "jobs.sqlite") });
const service = new GenerationService({
  store,
  provider: createOxenProvider({
    apiKey: configuration.apiKey,
    baseUrl: configuration.baseUrl,
    logger,
  }),
  logger,
  settings: {
    videoDirectory: join(configuration.directory, "videos"),
    unknownOutcomeChecks: 1,
    ...(configuration.maxVideoBytes ? { maxVideoBytes: configuration.maxVideoBytes } : {}),
  },
});
service.registerAdapter(new StallingAdapter(configuration));
await service.start();
say({ event: "ready" });
const job = await service.submit({ mode: "text", prompt: configuration.prompt }, origin);
say({ event: "submitted", jobId: job.id, providerJobId: job.providerJobId, state: job.state });
