import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { statusTitle } from "../../../src/chat/job-summary.ts";
import { createMemoryCoordination } from "../../../src/coordination/memory-coordination.ts";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { createSimulatorProvider } from "../../../src/providers/simulator/index.ts";
import { FakeDiscord } from "../../fakes/fake-discord.ts";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  cardTitle,
  jsonOf,
  sampleVideo,
  startBot,
  uploads,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The simulator keeping its jobs in `directory`, on a clock `aheadMs` in front of the real one. */
function simulator(directory: string, aheadMs: number) {
  return createSimulatorProvider({
    ffmpegPath: null,
    delayMs: 60_000,
    videoPath: sampleVideo,
    dataDirectory: directory,
    now: () => Date.now() + aheadMs,
    logger: createSilentLogger(),
  });
}

it("an interaction received over HTTP by instance A, which then stops, is answered by instance B through the shared token: the card edited as the original response, the video once", async () => {
  const fake = await FakeDiscord.start();
  const store = createMemoryJobStore();
  const coordination = createMemoryCoordination();
  const directory = await mkdtemp(join(tmpdir(), "discord-instances-"));
  cleanups.push(async () => {
    await store.close();
    await fake.close();
    await rm(directory, { recursive: true, force: true });
  });
  const shared = { fake, store, coordination, http: true, gateway: false } as const;
  const first: Bot = await startBot({ ...shared, provider: simulator(directory, 0) });
  const { alice } = first;
  const asked = slashCommand(
    fake,
    "video",
    { prompt: "a relay across instances" },
    { user: alice },
  );
  const job = await waitForJob(
    store,
    (candidate) => candidate.providerJobId !== undefined && candidate.statusMessageId !== undefined,
    "the job at the provider, with its card",
  );
  const cardId = job.statusMessageId ?? "";
  await first.stop(false);
  const editsBefore = fake.callsTo("PATCH", new RegExp(`/token-${asked.id}/messages/@original$`));

  // B knows nothing of the interaction but what the shared store holds; its provider's clock is
  // past the job's end, so the job finishes as B starts.
  const second = await startBot({ ...shared, provider: simulator(directory, 120_000) });
  cleanups.push(() => second.stop(false));
  const [upload] = await waitForUploads(fake, 1);
  const delivered = await waitForJob(
    store,
    (candidate) => candidate.state === "delivered",
    "the delivered job",
  );
  await waitUntil(() => cardTitle(fake, cardId) === statusTitle(delivered), {
    message: "the card to say delivered",
  });

  const editsAfter = fake.callsTo("PATCH", new RegExp(`/token-${asked.id}/messages/@original$`));
  expect(editsAfter.length).toBeGreaterThan(editsBefore.length);
  // Through the interaction's webhook (no bot token), never as a channel message.
  expect(editsAfter.every((call) => call.authorization === undefined)).toBe(true);
  expect(fake.callsTo("PATCH", new RegExp(`^/channels/\\d+/messages/${cardId}$`))).toEqual([]);
  expect(uploads(fake)).toHaveLength(1);
  expect(upload?.path).toBe(`/channels/${fake.channelId}/messages`);
  expect(jsonOf(upload ?? ({} as never)).message_reference).toMatchObject({ message_id: cardId });
  expect(fake.identifyPayloads).toEqual([]);
});
