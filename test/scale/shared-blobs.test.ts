import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, expect, it } from "vitest";
import { openBlobStores } from "../../src/blobs/blob-stores-from-config.ts";
import type { DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import { openPostgresCoordination } from "../../src/coordination/postgres-coordination.ts";
import type { Job } from "../../src/jobs/job.ts";
import { openPostgresJobStore } from "../../src/jobs/postgres-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createHttpMediaHost, createVideoLinks } from "../../src/media/index.ts";
import { sharedSigningSecret } from "../../src/media/shared-signing-secret.ts";
import { openPostgresDatabase } from "../../src/postgres/postgres-database.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import { newJob } from "../contracts/new-job.ts";
import { type FakeOxenServer, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { testDatabases } from "../support/postgres/test-databases.ts";
import { RecordingChatAdapter } from "../support/recording-chat-adapter.ts";
import { steppingRandom } from "../support/stepping-random.ts";
import { tamperedSignature } from "../support/tampered-signature.ts";
import { waitUntil } from "../support/wait-until.ts";

const databases = testDatabases();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const fixture = new URL("../fixtures/media/tiny.mp4", import.meta.url);
// Short leases so a lapse comes soon; the test waits for outcomes, never for durations.
const timings = { ttlMs: 1_000, renewMs: 200, retryMs: 50 };

/** One instance's stack on the shared database: its own pool, disk, HTTP server and service. */
async function startInstance(
  id: string,
  url: string,
  hub: FakeOxenServer,
  adapter: RecordingChatAdapter,
) {
  const logger = createSilentLogger();
  const directory = mkdtempSync(join(tmpdir(), `seedance-${id}-`));
  const postgres = openPostgresDatabase({ url, poolSize: 4 });
  const store = await openPostgresJobStore({ database: postgres });
  const coordination = await openPostgresCoordination({ database: postgres });
  const blobs = await openBlobStores({ postgres, dataDirectory: directory, logger });
  const secret = await sharedSigningSecret(coordination);
  const server = new HttpServer(logger);
  const address = await server.listen(0, "127.0.0.1");
  const publicBaseUrl = `http://127.0.0.1:${address.port}`;
  const mediaHost = createHttpMediaHost({
    server,
    blobs: blobs.media,
    secret,
    publicBaseUrl,
    logger,
  });
  const service = new GenerationService({
    store,
    provider: createOxenProvider({ apiKey: hub.apiKey, baseUrl: hub.baseUrl, logger }),
    logger,
    settings: { videoDirectory: join(directory, "videos"), maxJobsPerUser: 0 },
    random: steppingRandom(),
    shared: { id, coordination, timings, workScanIntervalMs: 50 },
    coordination,
    ...(blobs.videos ? { videoBlobs: blobs.videos } : {}),
  });
  const videoLinks = createVideoLinks({
    server,
    secret,
    publicBaseUrl,
    videoOf: async (jobId) => {
      const video = await service.videoFile(jobId);
      return video && { path: video.path, fileName: video.fileName };
    },
  });
  service.registerAdapter(adapter);
  return {
    directory,
    publicBaseUrl,
    mediaHost,
    videoLinks,
    service,
    store,
    postgres,
    async start() {
      await mediaHost.start();
      await service.start();
    },
    async close() {
      await service.stop().catch(() => undefined);
      mediaHost.stop();
      await server.close();
      await store.close().catch(() => undefined);
      await coordination.close().catch(() => undefined);
      await postgres.end().catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A platform whose upload never finishes, as on an instance that died in the middle of posting. */
class StalledChatAdapter extends RecordingChatAdapter {
  readonly started: string[] = [];
  #abandon: Array<() => void> = [];
  override async deliver(job: Job, _video: DeliverableVideo): Promise<void> {
    this.started.push(job.id);
    await new Promise<void>((_resolve, reject) => {
      this.#abandon.push(() => reject(new Error("the instance is gone")));
    });
  }
  /** Ends the stalled uploads, so the dead instance's service can be stopped after the test. */
  abandon(): void {
    for (const end of this.#abandon.splice(0)) end();
  }
}

it("a signed media link made by instance A is served with its bytes by instance B, ranges too", async () => {
  const [url, hub] = await Promise.all([databases.create(), startFakeOxenServer()]);
  cleanups.push(() => hub.close());
  const a = await startInstance("bot-a", url, hub, new RecordingChatAdapter());
  cleanups.push(() => a.close());
  const b = await startInstance("bot-b", url, hub, new RecordingChatAdapter());
  cleanups.push(() => b.close());
  const bytes = await readFile(fixture);

  const published = await a.mediaHost.publish(
    { path: fixture.pathname, contentType: "video/mp4", fileName: "input.mp4" },
    { ttlMs: 60_000 },
  );
  const onB = published.url.replace(a.publicBaseUrl, b.publicBaseUrl);
  const whole = await request(onB);
  expect(whole.statusCode).toBe(200);
  expect(whole.headers["content-type"]).toBe("video/mp4");
  expect(Buffer.from(await whole.body.arrayBuffer()).equals(bytes)).toBe(true);
  const part = await request(onB, { headers: { range: "bytes=100-199" } });
  expect(part.statusCode).toBe(206);
  expect(Buffer.from(await part.body.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

  // A tampered link is refused by B as by A, and a released one is gone for both.
  const tampered = await request(tamperedSignature(onB));
  expect(tampered.statusCode).toBe(403);
  await tampered.body.dump();
  await published.release();
  const released = await request(onB);
  expect(released.statusCode).toBe(404);
  await released.body.dump();
});

it("a delivery started on A, which dies mid-upload with its disk, is resumed on B and posts the video A downloaded", async () => {
  const [url, hub] = await Promise.all([databases.create(), startFakeOxenServer()]);
  cleanups.push(() => hub.close());
  const stalled = new StalledChatAdapter();
  const a = await startInstance("bot-a", url, hub, stalled);
  cleanups.push(
    () => a.close(),
    () => stalled.abandon(),
  );
  const remote = hub.addJob("bytedance-seedance-2-0-text-to-video", { prompt: "resumed" });
  hub.complete(remote.id, { emit: false });
  await a.store.create(
    newJob({
      id: "resumed-job",
      origin: { platform: "test", channelId: "channel-1", userId: "user-1" },
      provider: "oxen",
      state: "succeeded",
      providerJobId: remote.id,
      resultUrl: hub.resultUrlFor(remote.id),
    }),
  );
  await a.start();
  await waitUntil(() => stalled.started.includes("resumed-job"), { message: "A to start posting" });

  // A is gone: its database connections, then its disk. Its job lease lapses.
  await a.postgres.end();
  rmSync(a.directory, { recursive: true, force: true });
  const recording = new RecordingChatAdapter();
  const b = await startInstance("bot-b", url, hub, recording);
  cleanups.push(() => b.close());
  await b.start();
  await waitUntil(async () => (await b.store.get("resumed-job"))?.state === "delivered", {
    message: "B to post the video",
  });
  const [posted, ...more] = recording.deliveriesOf("resumed-job");
  expect(more).toEqual([]);
  expect(posted?.bytes.equals(await readFile(fixture))).toBe(true);
  // B took the bytes from the shared store: the provider's file was fetched once, by A.
  const downloads = hub.requests.filter((each) => each.pathname.endsWith(`/${remote.id}.mp4`));
  expect(downloads).toHaveLength(1);

  // The week-long /videos/ link, signed by B with the shared key, works on B.
  const link = b.videoLinks.linkFor("resumed-job");
  const served = await request(link.url);
  expect(served.statusCode).toBe(200);
  expect(Buffer.from(await served.body.arrayBuffer()).equals(await readFile(fixture))).toBe(true);
});
