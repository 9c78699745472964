import {
  type APIInteraction,
  type APIUser,
  Client,
  type ClientOptions,
  ClientUser,
  Events,
  GatewayDispatchEvents,
  type GatewayDispatchPayload,
  GatewayIntentBits,
  InteractionType,
  Partials,
  Routes,
} from "discord.js";
import type { ChatAdapter, DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import type { CoordinationStore } from "../../src/coordination/coordination.ts";
import { createMemoryCoordination } from "../../src/coordination/memory-coordination.ts";
import type { ShardLeases } from "../../src/coordination/shard-leases.ts";
import type { Job, JobOrigin } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import { type ChatMetrics, noChatMetrics } from "../../src/observability/chat-metrics.ts";
import type { HttpServer } from "../../src/server/http-server.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import { type AdapterContext, AdapterMemory } from "./adapter-context.ts";
import { renewDiscordInputs } from "./cdn-links.ts";
import { deliver, uploadLimitBytes } from "./delivery.ts";
import { findDelivery } from "./find-delivery.ts";
import { FormMemory } from "./form-memory.ts";
import { handleInteraction } from "./handle-interaction.ts";
import { handleMessage } from "./handle-message.ts";
import { handleReaction } from "./handle-reaction.ts";
import { mountHttpInteractions } from "./http-interactions.ts";
import {
  callbackAnswer,
  type InitialAnswer,
  InteractionResponder,
} from "./interaction-responder.ts";
import { InteractionTokens } from "./interaction-tokens.ts";
import { createRestMetrics } from "./rest-metrics.ts";
import { restOptions } from "./rest-options.ts";
import { recommendedShardCount, ShardClients } from "./shard-clients.ts";
import { showStatus } from "./status-updates.ts";
import { platform } from "./to-request.ts";

export interface DiscordAdapterOptions {
  /** DISCORD_TOKEN. */
  token: string;
  /** DISCORD_API_URL without the version, e.g. https://discord.com/api (the default). */
  apiUrl?: string;
  /**
   * DISCORD_MESSAGE_CONTENT: ask for the privileged intent, so the images of a replied-to message are
   * visible even when that message does not mention the bot. Mentions work either way.
   */
  messageContent?: boolean;
  service: GenerationServicePort;
  logger: Logger;
  /** A link for videos too large to upload (e.g. a signed URL under PUBLIC_BASE_URL). */
  videoLink?: (job: Job) => Promise<string | undefined> | string | undefined;
  /** REST retries on 5xx (discord.js default 3). */
  restRetries?: number;
  /** Acknowledgement latency, REST errors and delivery failures (see `src/observability`). */
  metrics?: ChatMetrics;
  now?: () => number;
  /** DISCORD_SHARD_COUNT; default: Discord's recommendation (`GET /gateway/bot`). */
  shardCount?: number;
  /** Instances sharing a database: shards are leased among them; absent, this one runs every shard. */
  shardLeases?: ShardLeases;
  /** DISCORD_PUBLIC_KEY: interactions also arrive over HTTP, at POST /discord/interactions. */
  interactions?: { server: HttpServer; publicKey: string };
  /** DISCORD_GATEWAY: false logs no gateway in (no mentions or reactions; interactions over HTTP). */
  gateway?: boolean;
  /**
   * Where Animate forms wait for their submit and interaction tokens live for their 15 minutes;
   * shared, so another instance can finish a form or follow up on an interaction.
   */
  coordination?: CoordinationStore;
}

type NewClientUser = new (client: Client, data: APIUser) => ClientUser;

export interface DiscordAdapter extends ChatAdapter {
  readonly client: Client;
}

/** Discord as a chat platform: the real discord.js client, with every flow routed to the service. */
export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.GuildMessageReactions,
    GatewayIntentBits.DirectMessages,
    GatewayIntentBits.DirectMessageReactions,
    ...(options.messageContent ? [GatewayIntentBits.MessageContent] : []),
  ];
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? noChatMetrics;
  const restMetrics = createRestMetrics(metrics, now);
  const clientOptions = (): ClientOptions => ({
    intents,
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    rest: restOptions(options.apiUrl, options.restRetries, restMetrics.observe),
    allowedMentions: { parse: [], repliedUser: false },
  });
  const { shardCount, shardLeases } = options;
  // Alone, every shard runs in this client (discord.js's own sharding); leased, in one client each.
  const client = new Client({
    ...clientOptions(),
    ...(shardCount ? { shardCount, shards: [...Array(shardCount).keys()] } : { shards: "auto" }),
  });
  // REST works before login, so deliveries resumed at start-up need not wait for the gateway.
  client.rest.setToken(options.token);
  const logger = options.logger;
  const coordination = options.coordination ?? createMemoryCoordination({ now });
  const context: AdapterContext = {
    client,
    service: options.service,
    logger,
    memory: new AdapterMemory(now),
    tokens: new InteractionTokens(coordination, now),
    forms: new FormMemory(coordination),
    now,
    metrics,
    videoLink: async (job) => (await options.videoLink?.(job)) ?? undefined,
  };

  // One failing event must never stop the bot: every handler is caught and logged.
  const guard =
    <Arguments extends unknown[]>(name: string, handler: (...input: Arguments) => Promise<void>) =>
    (...input: Arguments) => {
      handler(...input).catch((error: unknown) =>
        logger.error({ err: error, event: name }, "Discord event failed"),
      );
    };

  // One handler for Discord's raw interactions, whichever transport brought them.
  const receive = async (
    interaction: APIInteraction,
    transport: { answer: InitialAnswer; deferredByEndpoint?: Promise<void> },
  ) => {
    if (interaction.type === InteractionType.Ping) return;
    restMetrics.received(interaction.id);
    const responder = new InteractionResponder({
      interaction,
      rest: client.rest,
      answer: async (body) => {
        await transport.answer(body);
        restMetrics.answered(interaction.id);
      },
    });
    transport.deferredByEndpoint?.then(() => responder.markDeferred());
    await handleInteraction(context, interaction, responder);
  };
  // discord.js still builds its own interaction objects from this; nothing here reads them.
  client.on(
    Events.Raw,
    guard("interaction", async (packet: GatewayDispatchPayload) => {
      if (packet.t !== GatewayDispatchEvents.InteractionCreate) return;
      await receive(packet.d, { answer: callbackAnswer(client.rest, packet.d) });
    }),
  );
  client.on(
    Events.MessageCreate,
    guard("message", (message) => handleMessage(context, message)),
  );
  client.on(
    Events.MessageReactionAdd,
    guard("reaction", (reaction, user) => handleReaction(context, reaction, user)),
  );
  if (options.interactions) {
    mountHttpInteractions({ ...options.interactions, receive, logger, now });
  }
  client.on(Events.Error, (error) => logger.error({ err: error }, "Discord client error"));
  client.on(Events.ShardDisconnect, (event) =>
    logger.warn({ code: event.code }, "Discord gateway disconnected"),
  );

  const startLeasedShards = async () => {
    if (!shardLeases) return;
    const shards = new ShardClients({
      main: client,
      options: clientOptions,
      token: options.token,
      leases: shardLeases,
      logger,
    });
    const count = await shardLeases.agreeOnCount(shardCount, () => recommendedShardCount(client));
    await shardLeases.start(count, shards);
    logger.info({ shardCount: count, shards: shardLeases.heldShards() }, "Discord shards leased");
  };

  return {
    platform,
    client,
    async start() {
      if (options.gateway === false) {
        // Who the bot is, as the gateway's READY would say (its own messages are recognised by it).
        const me = (await client.rest.get(Routes.user())) as APIUser;
        (client as { user: ClientUser | null }).user = new (ClientUser as unknown as NewClientUser)(
          client,
          me,
        );
        logger.info("Discord gateway off (DISCORD_GATEWAY=false): interactions over HTTP only");
        return;
      }
      if (shardLeases) return await startLeasedShards();
      const ready = new Promise<void>((resolve) =>
        client.once(Events.ClientReady, () => resolve()),
      );
      await client.login(options.token);
      await ready;
      logger.info(
        { user: client.user?.tag, guilds: client.guilds.cache.size },
        "Discord connected",
      );
    },
    async stop() {
      await shardLeases?.stop();
      await client.destroy();
    },
    uploadLimitBytes: (origin: JobOrigin) => uploadLimitBytes(context, origin),
    showStatus: (job: Job) => showStatus(context, job),
    deliver: (job: Job, video: DeliverableVideo) => deliver(context, job, video),
    findDelivery: (job: Job) => findDelivery(context, job),
    renewInputs: (request, before) => renewDiscordInputs(context, request, before),
  };
}
