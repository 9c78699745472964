import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIMessage, APIUser } from "discord.js";
import { createDiscordAdapter, type DiscordAdapter } from "../../../adapters/discord/index.ts";
import type { CoordinationStore } from "../../../src/coordination/coordination.ts";
import type { ShardLeases } from "../../../src/coordination/shard-leases.ts";
import type { Job } from "../../../src/jobs/job.ts";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import { createDataUriMediaHost } from "../../../src/media/index.ts";
import type { ChatMetrics } from "../../../src/observability/chat-metrics.ts";
import type { UsagePolicySettings } from "../../../src/policy/usage-policy.ts";
import type {
  GenerationProvider,
  SubmitInput,
} from "../../../src/providers/generation-provider.ts";
import { createSimulatorProvider } from "../../../src/providers/simulator/index.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import { GenerationService } from "../../../src/service/generation-service.ts";
import type { ServiceSettings } from "../../../src/service/service-context.ts";
import { FakeDiscord, type RecordedCall } from "../../fakes/fake-discord.ts";
import { interactionKeyPair } from "../../fakes/fake-discord-http.ts";
import { fakeUser } from "../../fakes/fake-discord-payloads.ts";
import { steppingRandom } from "../../support/stepping-random.ts";
import { waitUntil } from "../../support/wait-until.ts";

export const sampleVideo = join(import.meta.dirname, "../../fixtures/media/tiny.mp4");

/** The simulator, plus a record of what reached it: the provider-side view of each request. */
export interface ProviderRecord {
  submits: SubmitInput[];
  /** When each submit reached the provider (ms). */
  submittedAt: number[];
  cancels: string[];
}

function recorded(provider: GenerationProvider, record: ProviderRecord): GenerationProvider {
  return {
    ...provider,
    name: provider.name,
    catalog: provider.catalog,
    submit: (input) => {
      record.submits.push(input);
      record.submittedAt.push(Date.now());
      return provider.submit(input);
    },
    cancel: (providerJobId) => {
      record.cancels.push(providerJobId);
      return provider.cancel(providerJobId);
    },
  };
}

export interface BotOptions {
  fake?: FakeDiscord;
  store?: JobStore;
  /** How long the simulated provider takes per job. */
  delayMs?: number;
  /** The video the simulator returns; default: the tiny fixture. */
  videoPath?: string;
  videoLink?: (job: Job) => string | undefined;
  /** Another provider (the Oxen client against the fake hub); default: the simulator. */
  provider?: GenerationProvider;
  /** Daily budgets, access lists, blocked prompts. */
  policy?: Partial<UsagePolicySettings>;
  /** The adapter's metrics, made once the service exists (as `src/main.ts` does). */
  metrics?: (service: GenerationService, store: JobStore) => ChatMetrics;
  /** Service settings over the harness's (e.g. a long delivery backoff, to restart mid-retry). */
  settings?: Partial<ServiceSettings>;
  /** The service's clock (and so its coordination's expiries). */
  now?: () => number;
  /** Shared state across bots (event keys, repeat claims); default: this bot's own. */
  coordination?: CoordinationStore;
  /** Shards leased among bots sharing a coordination store (as instances on one database). */
  shardLeases?: ShardLeases;
  /** ffmpeg for Extend and Stitch; null: the bot has none. */
  ffmpegPath?: string | null;
  /** Interactions over HTTP: the fake posts them, signed, to the bot's POST /discord/interactions. */
  http?: boolean;
  /** DISCORD_GATEWAY: false logs no gateway in. */
  gateway?: boolean;
}

export interface Bot {
  fake: FakeDiscord;
  store: JobStore;
  service: GenerationService;
  adapter: DiscordAdapter;
  provider: ProviderRecord;
  /** Added to the adapter's clock (token age). */
  clock: { offsetMs: number };
  alice: APIUser;
  bob: APIUser;
  /** With `http`: the endpoint's URL and the key pair its requests are signed with. */
  endpoint: FakeDiscord["interactionsEndpoint"];
  /** A new Discord client (empty caches, no remembered tokens) on the same service. */
  restartDiscord(): Promise<void>;
  /** Stops the bot; the fake and store stay for a restart unless `everything`. */
  stop(everything?: boolean): Promise<void>;
}

/** The real service, simulator provider and discord.js client, wired to a loopback fake Discord. */
export async function startBot(options: BotOptions = {}): Promise<Bot> {
  const fake = options.fake ?? (await FakeDiscord.start());
  const store = options.store ?? createMemoryJobStore();
  const logger = createSilentLogger();
  const record: ProviderRecord = { submits: [], submittedAt: [], cancels: [] };
  const provider = recorded(
    options.provider ??
      createSimulatorProvider({
        ffmpegPath: null,
        delayMs: options.delayMs ?? 40,
        videoPath: options.videoPath ?? sampleVideo,
        logger,
      }),
    record,
  );
  const videoDirectory = await mkdtemp(join(tmpdir(), "discord-e2e-"));
  const service = new GenerationService({
    store,
    provider,
    logger,
    settings: {
      videoDirectory,
      deliveryBackoffMs: { initialMs: 10, maxMs: 50 },
      ...options.settings,
    },
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.coordination ? { coordination: options.coordination } : {}),
    // Extend's last frames reach the provider inline, so a test reads them from the request.
    frameHost: createDataUriMediaHost({ logger }),
    ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
    // Seeds and backoff jitter without chance.
    random: steppingRandom(),
  });
  const clock = { offsetMs: 0 };
  const metrics = options.metrics?.(service, store);
  const keys = interactionKeyPair();
  let server: HttpServer | undefined;
  const newAdapter = () =>
    createDiscordAdapter({
      ...(server ? { interactions: { server, publicKey: keys.publicKeyHex } } : {}),
      ...(options.gateway === false ? { gateway: false } : {}),
      token: "test-token",
      apiUrl: fake.apiUrl,
      service,
      logger,
      restRetries: 0,
      now: () => Date.now() + clock.offsetMs,
      ...(options.shardLeases ? { shardLeases: options.shardLeases } : {}),
      ...(options.coordination ? { coordination: options.coordination } : {}),
      ...(options.videoLink ? { videoLink: options.videoLink } : {}),
      ...(metrics ? { metrics } : {}),
    });
  const newServer = async () => {
    await server?.close();
    if (!options.http) return;
    server = new HttpServer(logger);
    const { port } = await server.listen(0, "127.0.0.1");
    fake.interactionsEndpoint = {
      url: `http://127.0.0.1:${port}/discord/interactions`,
      privateKey: keys.privateKey,
    };
  };
  await newServer();
  const adapter = newAdapter();
  service.registerAdapter(adapter);
  await service.start();
  await adapter.start();
  const bot: Bot = {
    fake,
    store,
    service,
    adapter,
    provider: record,
    clock,
    endpoint: fake.interactionsEndpoint,
    alice: fakeUser("100000000000000001", "alice"),
    bob: fakeUser("100000000000000002", "bob"),
    async restartDiscord() {
      await bot.adapter.stop();
      await newServer();
      bot.adapter = newAdapter();
      service.registerAdapter(bot.adapter);
      await bot.adapter.start();
    },
    async stop(everything = true) {
      await bot.adapter.stop();
      await server?.close();
      await service.stop();
      await rm(videoDirectory, { recursive: true, force: true });
      if (everything) {
        await store.close();
        await fake.close();
      }
    },
  };
  return bot;
}

/** Video uploads: channel messages whose first file is an MP4. */
export function uploads(fake: FakeDiscord): RecordedCall[] {
  return fake
    .callsTo("POST", /^\/channels\/\d+\/messages$/)
    .filter((call) => call.files[0]?.contentType === "video/mp4");
}

export async function waitForUploads(fake: FakeDiscord, count: number): Promise<RecordedCall[]> {
  await waitUntil(() => uploads(fake).length >= count, { message: `${count} upload(s)` });
  return uploads(fake);
}

export function jsonOf(call: RecordedCall): Record<string, unknown> {
  return (call.json ?? {}) as Record<string, unknown>;
}

export { waitForJob } from "../../support/wait-for-job.ts";

export function message(fake: FakeDiscord, id: string): APIMessage {
  const found = fake.messages.get(id);
  if (!found) throw new Error(`no message ${id}`);
  return found;
}

/** The initial interaction response (defer, reply, modal, autocomplete choices). */
export function callbackOf(fake: FakeDiscord, interactionId: string): Promise<RecordedCall> {
  return fake.waitForCall((call) => call.path.startsWith(`/interactions/${interactionId}/`), {
    description: `the response to interaction ${interactionId}`,
  });
}

const ephemeralFlag = 64;

/** Messages only the user sees: ephemeral replies and ephemeral follow-ups, with their text. */
export function ephemeralTexts(calls: readonly RecordedCall[]): string[] {
  return calls.flatMap((call) => {
    const body = jsonOf(call);
    const data = (call.path.endsWith("/callback") ? body.data : body) as
      | Record<string, unknown>
      | undefined;
    const flags = Number(data?.flags ?? 0);
    const isReply = call.path.endsWith("/callback")
      ? body.type === 4
      : call.method === "POST" && call.path.startsWith("/webhooks/");
    return isReply && (flags & ephemeralFlag) !== 0 ? [String(data?.content ?? "")] : [];
  });
}

/** Public channel messages the bot posted (status cards for mentions, results, answers). */
export function channelPosts(fake: FakeDiscord): RecordedCall[] {
  return fake.callsTo("POST", /^\/channels\/\d+\/messages$/);
}

/** The last embed title the bot put on a message (card), following webhook and channel edits. */
export function cardTitle(fake: FakeDiscord, messageId: string): string | undefined {
  const embeds = fake.messages.get(messageId)?.embeds ?? [];
  return embeds[0]?.title;
}
