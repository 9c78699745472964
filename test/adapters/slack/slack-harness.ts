import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SlackBodyLimits } from "../../../adapters/slack/bot-server-receiver.ts";
import { createSlackAdapter, type SlackAdapter } from "../../../adapters/slack/index.ts";
import type { IdentityTimers } from "../../../adapters/slack/slack-identity.ts";
import type { CoordinationStore } from "../../../src/coordination/coordination.ts";
import { createHttpAgent } from "../../../src/http/index.ts";
import type { InstallationStore } from "../../../src/installations/installation-store.ts";
import type { Job } from "../../../src/jobs/job.ts";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import { createMemoryJobStore } from "../../../src/jobs/memory-job-store.ts";
import { createSilentLogger, type Logger } from "../../../src/logger.ts";
import {
  createHttpMediaHost,
  createPosterLinks,
  type HttpMediaHost,
  type MediaHost,
  nonEmptyFileSize,
  posterPathFor,
} from "../../../src/media/index.ts";
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
import { FakeSlack } from "../../fakes/fake-slack.ts";
import type { FakeUser } from "../../fakes/fake-slack-payloads.ts";
import { fakeOauthApp } from "../../fakes/fake-slack-workspaces.ts";
import { steppingRandom } from "../../support/stepping-random.ts";
import { waitUntil } from "../../support/wait-until.ts";

export const sampleVideo = join(import.meta.dirname, "../../fixtures/media/tiny.mp4");
export const pngFixture = join(import.meta.dirname, "../../fixtures/media/tiny.png");
export const jpgFixture = join(import.meta.dirname, "../../fixtures/media/tiny.jpg");

export interface ProviderRecord {
  submits: SubmitInput[];
  submittedAt: number[];
  cancels: string[];
  /** While set, submits wait for it: proves an answer did not wait for the provider. */
  gate?: Promise<void> | undefined;
}

/** Holds every provider submit until the returned function is called. */
export function holdSubmits(record: ProviderRecord): () => void {
  let release = () => {};
  record.gate = new Promise<void>((resolve) => {
    release = () => {
      record.gate = undefined;
      resolve();
    };
  });
  return release;
}

/** Records what reaches the provider; `stop` is left to the harness, so jobs outlive a bot restart. */
function recorded(provider: GenerationProvider, record: ProviderRecord): GenerationProvider {
  return {
    ...provider,
    name: provider.name,
    catalog: provider.catalog,
    stop: async () => {},
    submit: async (input) => {
      record.submits.push(input);
      record.submittedAt.push(Date.now());
      await record.gate;
      return await provider.submit(input);
    },
    cancel: (providerJobId) => {
      record.cancels.push(providerJobId);
      return provider.cancel(providerJobId);
    },
  };
}

export interface SlackBotOptions {
  fake?: FakeSlack;
  /** The provider "service" itself; kept across restarts, like a remote provider would be. */
  simulator?: GenerationProvider;
  store?: JobStore;
  delayMs?: number;
  /** The video the simulator returns; default: the tiny fixture. */
  videoPath?: string;
  /** The Slack adapter's file limit (a workspace's own, below Slack's 1 GB). */
  uploadLimitBytes?: number;
  socketMode?: boolean;
  /** Default true: a media host on the bot's server publishes private files. */
  mediaHost?: boolean;
  /** Where private files go instead of the bot's server (another MEDIA_HOST, such as fal's storage). */
  inputHost?: MediaHost;
  videoLink?: (job: Job) => string | { url: string; expiresAt?: number } | undefined;
  /** Serve signed `/posters/<job>` links on the bot's server and give them to the adapter. */
  posterLinks?: boolean;
  /** HTTP answers wait for the listener: "answered" then means "handled". */
  processBeforeResponse?: boolean;
  /** Daily budgets, access lists, blocked prompts. */
  policy?: Partial<UsagePolicySettings>;
  /** The adapter's metrics, made once the service exists (as `src/main.ts` does). */
  metrics?: (service: GenerationService, store: JobStore) => ChatMetrics;
  /** SLACK_API_URL when not the fake's own (a loopback front for it). */
  apiUrl?: string;
  /** Service settings over the harness's (e.g. a long delivery backoff, to restart mid-retry). */
  settings?: Partial<ServiceSettings>;
  /** The clock of the service and the media host (signed links), to age jobs. */
  now?: () => number;
  /** SLACK_EVENT_MAX_BYTES and SLACK_UNSIGNED_MAX_BYTES, when not the defaults. */
  bodyLimits?: SlackBodyLimits;
  /** The adapter's logger (Bolt's and the Web API client's lines go there too); silent otherwise. */
  logger?: Logger;
  /** The timers that retry a failed `auth.test` (fake ones, to step the retry). */
  identityTimers?: IdentityTimers;
  /** Shared state across bots (event keys, repeat claims), as instances on one database share it. */
  coordination?: CoordinationStore;
  /** Slack OAuth instead of the fake's single token: workspaces install through /slack/install. */
  oauth?: { installations: InstallationStore };
}

export interface SlackBot {
  fake: FakeSlack;
  store: JobStore;
  service: GenerationService;
  adapter: SlackAdapter;
  server: HttpServer;
  mediaHost: HttpMediaHost | undefined;
  provider: ProviderRecord;
  /** The bot's own origin (the media host's URLs start with it). */
  baseUrl: string;
  alice: FakeUser;
  bob: FakeUser;
  /** A new process on the same store and fake: new server, service, provider and adapter. */
  restart(whileStopped?: () => Promise<void>): Promise<SlackBot>;
  stop(everything?: boolean): Promise<void>;
}

const mediaSecret = "a-media-signing-secret-of-32-characters-at-least";

/**
 * The real service, simulator provider, HTTP server, media host and Bolt app (HTTP receiver, or
 * Socket Mode), wired to a loopback fake Slack.
 */
export async function startSlackBot(options: SlackBotOptions = {}): Promise<SlackBot> {
  const fake = options.fake ?? (await FakeSlack.start());
  const store = options.store ?? createMemoryJobStore();
  const logger = createSilentLogger();
  const record: ProviderRecord = { submits: [], submittedAt: [], cancels: [] };
  const simulator =
    options.simulator ??
    createSimulatorProvider({
      ffmpegPath: null,
      delayMs: options.delayMs ?? 40,
      videoPath: options.videoPath ?? sampleVideo,
      logger,
    });
  const provider = recorded(simulator, record);
  const directory = await mkdtemp(join(tmpdir(), "slack-e2e-"));
  const service = new GenerationService({
    store,
    provider,
    logger,
    settings: {
      videoDirectory: join(directory, "videos"),
      deliveryBackoffMs: { initialMs: 10, maxMs: 50 },
      ...options.settings,
    },
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.coordination ? { coordination: options.coordination } : {}),
    // Extend's last frames go through the bot's media host, like Slack's files.
    frameHost: {
      publish: (source, publishOptions) => {
        if (!mediaHost) throw new Error("no media host");
        return mediaHost.publish(source, publishOptions);
      },
      resolveLocalPath: (url) => mediaHost?.resolveLocalPath(url),
    },
    // Seeds and backoff jitter without chance.
    random: steppingRandom(),
  });
  const server = new HttpServer(logger);
  const address = await server.listen(0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const mediaHost =
    options.mediaHost === false
      ? undefined
      : createHttpMediaHost({
          server,
          directory: join(directory, "media"),
          secret: mediaSecret,
          publicBaseUrl: baseUrl,
          logger,
          ...(options.now ? { now: options.now } : {}),
        });
  const posterLinks = options.posterLinks
    ? createPosterLinks({
        server,
        secret: mediaSecret,
        publicBaseUrl: baseUrl,
        posterOf: async (jobId) => {
          const path = (await service.getJob(jobId))?.videoPath;
          const poster = path && posterPathFor(path);
          return poster && (await nonEmptyFileSize(poster)) !== undefined ? poster : undefined;
        },
      })
    : undefined;
  const socketMode = options.socketMode ?? false;
  fake.transport = socketMode ? "socket" : "http";
  fake.botUrl = `${baseUrl}/slack/events`;
  // Behind a front, the fake's own origin (its upload URLs) is trusted besides the front's.
  const outbound = options.apiUrl
    ? createHttpAgent({ trustedHosts: [options.apiUrl, fake.apiUrl] })
    : undefined;
  const oauth = options.oauth && {
    clientId: fakeOauthApp.clientId,
    clientSecret: fakeOauthApp.clientSecret,
    stateSecret: "a-state-secret-of-some-length",
    authorizeUrl: `${fake.url}/oauth/v2/authorize`,
    installations: options.oauth.installations,
    redirectUri: `${baseUrl}/slack/oauth_redirect`,
  };
  const adapter = createSlackAdapter({
    ...(oauth ? { oauth } : { botToken: fake.botToken }),
    ...(socketMode ? { appToken: fake.appToken } : { signingSecret: fake.signingSecret }),
    apiUrl: options.apiUrl ?? fake.apiUrl,
    service,
    server,
    mediaHost: options.inputHost ?? mediaHost,
    logger: options.logger ?? logger,
    apiRetries: 0,
    ...(options.bodyLimits ? { bodyLimits: options.bodyLimits } : {}),
    ...(outbound ? { dispatcher: outbound, answerOrigins: [fake.url] } : {}),
    ...(options.videoLink ? { videoLink: options.videoLink } : {}),
    ...(posterLinks ? { posterLink: (job: Job) => posterLinks.linkFor(job.id) } : {}),
    ...(options.uploadLimitBytes ? { uploadLimitBytes: options.uploadLimitBytes } : {}),
    ...(options.processBeforeResponse ? { processBeforeResponse: true } : {}),
    ...(options.metrics ? { metrics: options.metrics(service, store) } : {}),
    ...(options.identityTimers ? { identityTimers: options.identityTimers } : {}),
  });
  service.registerAdapter(adapter);
  await service.start();
  await adapter.start();
  if (socketMode) await waitUntil(() => fake.socket.connected, { message: "Socket Mode" });
  const alice = { id: "U0ALICE", name: "alice" };
  const bob = { id: "U0BOB", name: "bob" };
  for (const user of [alice, bob]) fake.userNames.set(user.id, user.name);
  const bot: SlackBot = {
    fake,
    store,
    service,
    adapter,
    server,
    mediaHost,
    provider: record,
    baseUrl,
    alice,
    bob,
    async restart(whileStopped) {
      await bot.stop(false);
      await whileStopped?.();
      return await startSlackBot({ ...options, fake, store, simulator });
    },
    async stop(everything = true) {
      await adapter.stop();
      await outbound?.close();
      await service.stop();
      await server.close();
      await rm(directory, { recursive: true, force: true });
      if (everything) {
        await simulator.stop();
        await store.close();
        await fake.close();
      }
    },
  };
  return bot;
}
