import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createMemoryCoordination } from "../../src/coordination/memory-coordination.ts";
import { createMemoryJobStore } from "../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createOxenProvider } from "../../src/providers/oxen/index.ts";
import { GenerationService } from "../../src/service/generation-service.ts";
import { newJob } from "../contracts/new-job.ts";
import { startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { RecordingChatAdapter } from "../support/recording-chat-adapter.ts";
import { steppingRandom } from "../support/stepping-random.ts";
import { waitUntil } from "../support/wait-until.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const timings = { ttlMs: 60_000, renewMs: 20_000, retryMs: 50 };

it("a scan leaves a job a live peer holds alone, and posts it once when the peer's lease is gone", async () => {
  const hub = await startFakeOxenServer();
  const directory = mkdtempSync(join(tmpdir(), "seedance-leases-"));
  cleanups.push(
    () => hub.close(),
    () => rmSync(directory, { recursive: true, force: true }),
  );
  const store = createMemoryJobStore();
  const coordination = createMemoryCoordination();
  // Each scan lists the job leases once: counting those calls tells how many scans ran.
  let scans = 0;
  const counted = new Proxy(coordination, {
    get(target, property, receiver) {
      if (property === "listLeases") scans++;
      return Reflect.get(target, property, receiver);
    },
  });
  const remote = hub.addJob("bytedance-seedance-2-0-text-to-video", { prompt: "held" });
  hub.complete(remote.id, { emit: false });
  await store.create(
    newJob({
      id: "held-job",
      origin: { platform: "test", channelId: "channel-1", userId: "user-1" },
      provider: "oxen",
      state: "succeeded",
      providerJobId: remote.id,
      resultUrl: hub.resultUrlFor(remote.id),
    }),
  );
  // A live peer is posting it: it holds the job's lease.
  const peerLease = await coordination.acquireLease("job:held-job", "peer", timings.ttlMs);
  expect(peerLease).toBeDefined();

  const service = new GenerationService({
    store,
    provider: createOxenProvider({
      apiKey: hub.apiKey,
      baseUrl: hub.baseUrl,
      logger: createSilentLogger(),
    }),
    logger: createSilentLogger(),
    settings: { videoDirectory: join(directory, "videos"), maxJobsPerUser: 0 },
    random: steppingRandom(),
    shared: { id: "this-one", coordination: counted, timings, workScanIntervalMs: 50 },
  });
  const adapter = new RecordingChatAdapter("test");
  service.registerAdapter(adapter);
  await service.start();
  cleanups.push(() => service.stop());

  // Start-up's recovery and the scans after it: the peer's job is not touched.
  await waitUntil(() =>
    service.heldLeases().some((lease) => lease.startsWith("provider-follower#")),
  );
  const seen = scans;
  await waitUntil(() => scans >= seen + 3, { message: "three more scans" });
  expect(adapter.deliveriesOf("held-job")).toHaveLength(0);
  expect((await store.get("held-job"))?.state).toBe("succeeded");

  // The peer is gone (its lease released or lapsed): the next scan takes the job up and posts it once.
  await coordination.releaseLease("job:held-job", "peer");
  await waitUntil(async () => (await store.get("held-job"))?.state === "delivered");
  expect(adapter.deliveriesOf("held-job")).toHaveLength(1);
  expect((await store.get("held-job"))?.fence).toBeGreaterThan(peerLease?.token ?? 0);
});

it("a completion heard before a peer stored the job's provider id is applied by a later scan", async () => {
  const hub = await startFakeOxenServer();
  const directory = mkdtempSync(join(tmpdir(), "seedance-leases-"));
  cleanups.push(
    () => hub.close(),
    () => rmSync(directory, { recursive: true, force: true }),
  );
  const store = createMemoryJobStore();
  const coordination = createMemoryCoordination();
  const service = new GenerationService({
    store,
    provider: createOxenProvider({
      apiKey: hub.apiKey,
      baseUrl: hub.baseUrl,
      logger: createSilentLogger(),
    }),
    logger: createSilentLogger(),
    settings: { videoDirectory: join(directory, "videos"), maxJobsPerUser: 0 },
    random: steppingRandom(),
    shared: { id: "follower", coordination, timings, workScanIntervalMs: 50 },
  });
  const adapter = new RecordingChatAdapter("test");
  service.registerAdapter(adapter);
  await service.start();
  cleanups.push(() => service.stop());
  await hub.waitForSseClients(1);

  // A peer sent the job; the hub finished it and said so before the peer stored the answer of its create.
  const remote = hub.addJob("bytedance-seedance-2-0-text-to-video", { prompt: "early" });
  await store.create(
    newJob({
      id: "peer-job",
      origin: { platform: "test", channelId: "channel-1", userId: "user-1" },
      provider: "oxen",
    }),
  );
  // A job already stored, completed right after: once its video is posted, the first event was heard.
  const marker = hub.addJob("bytedance-seedance-2-0-text-to-video", { prompt: "marker" });
  await store.create(
    newJob({
      id: "marker-job",
      origin: { platform: "test", channelId: "channel-1", userId: "user-1" },
      provider: "oxen",
      state: "queued",
      providerJobId: marker.id,
    }),
  );
  hub.complete(remote.id);
  hub.complete(marker.id);
  await waitUntil(async () => (await store.get("marker-job"))?.state === "delivered");
  expect((await store.get("peer-job"))?.state).toBe("submitting");
  await store.transition("peer-job", {
    from: ["submitting"],
    to: "queued",
    patch: { providerJobId: remote.id, submittedAt: Date.now() },
  });

  await waitUntil(async () => (await store.get("peer-job"))?.state === "delivered");
  expect(adapter.deliveriesOf("peer-job")).toHaveLength(1);
});
