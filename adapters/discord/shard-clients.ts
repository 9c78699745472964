import {
  type APIGatewayBotInfo,
  Client,
  type ClientEvents,
  type ClientOptions,
  Events,
  type Guild,
  Routes,
} from "discord.js";
import type { ShardConnector, ShardLeases } from "../../src/coordination/shard-leases.ts";
import type { Logger } from "../../src/logger.ts";

/** The events the adapter listens to on its main client; each shard's client passes them on. */
const forwardedEvents = [
  Events.Raw,
  Events.MessageCreate,
  Events.MessageReactionAdd,
  Events.Error,
  Events.ShardDisconnect,
] as const satisfies ReadonlyArray<keyof ClientEvents | Events.Raw>;

/** Discord's recommended shard count for the bot (`GET /gateway/bot`). */
export async function recommendedShardCount(client: Client): Promise<number> {
  const info = (await client.rest.get(Routes.gatewayBot())) as APIGatewayBotInfo;
  return info.shards;
}

/**
 * One discord.js client per shard this instance holds a lease on (`shards: [id]`, `shardCount`),
 * each identifying in its `max_concurrency` bucket's turn across instances. Their events reach the
 * handlers on the main client, which stays the adapter's REST client; it learns the bot user and
 * the guilds (boost tier) from the shard clients.
 */
export class ShardClients implements ShardConnector {
  readonly #main: Client;
  readonly #options: () => ClientOptions;
  readonly #token: string;
  readonly #leases: ShardLeases;
  readonly #logger: Logger;
  readonly #clients = new Map<number, { client: Client; stop: AbortController }>();

  constructor(input: {
    main: Client;
    options: () => ClientOptions;
    token: string;
    leases: ShardLeases;
    logger: Logger;
  }) {
    this.#main = input.main;
    this.#options = input.options;
    this.#token = input.token;
    this.#leases = input.leases;
    this.#logger = input.logger;
  }

  connectedShards(): number[] {
    return [...this.#clients.keys()];
  }

  async connect(shardId: number, shardCount: number): Promise<void> {
    const leases = this.#leases;
    const client = new Client({
      ...this.#options(),
      shards: [shardId],
      shardCount,
      ws: {
        buildIdentifyThrottler: async (manager) => {
          const { session_start_limit: limit } = await manager.fetchGatewayInformation();
          const buckets = Math.max(1, limit.max_concurrency);
          return {
            waitForIdentify: (id, signal) => leases.waitForStart(id % buckets, signal),
          };
        },
      },
    });
    const stop = new AbortController();
    this.#clients.set(shardId, { client, stop });
    for (const event of forwardedEvents) {
      const emit = this.#main.emit.bind(this.#main) as (
        name: string,
        ...input: unknown[]
      ) => boolean;
      const on = client.on.bind(client) as (
        name: string,
        listener: (...input: unknown[]) => void,
      ) => Client;
      on(event, (...input: unknown[]) => emit(event, ...input));
    }
    client.on(Events.GuildCreate, (guild) => this.#main.guilds.cache.set(guild.id, guild));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    const stopped = new Promise<void>((resolve) =>
      stop.signal.addEventListener("abort", () => resolve(), { once: true }),
    );
    try {
      await client.login(this.#token);
      await Promise.race([ready, stopped]);
    } catch (error) {
      if (stop.signal.aborted) return;
      await this.disconnect(shardId);
      throw error;
    }
    if (stop.signal.aborted) return;
    this.#main.user ??= client.user;
    for (const guild of client.guilds.cache.values()) this.#main.guilds.cache.set(guild.id, guild);
    this.#logger.info(
      { shard: shardId, shardCount, guilds: client.guilds.cache.size },
      "Discord shard connected",
    );
  }

  /** Closes the shard's gateway session (Discord then invalidates it: the next holder identifies anew). */
  async disconnect(shardId: number): Promise<void> {
    const held = this.#clients.get(shardId);
    if (!held) return;
    this.#clients.delete(shardId);
    held.stop.abort();
    const { client } = held;
    client.removeAllListeners();
    await client.destroy();
    // Only the gateway is closed: a reply still in progress on one of its interactions is still sent.
    client.rest.setToken(this.#token);
    for (const guild of client.guilds.cache.values()) {
      if (this.#main.guilds.cache.get(guild.id) === (guild as Guild))
        this.#main.guilds.cache.delete(guild.id);
    }
    this.#logger.info({ shard: shardId }, "Discord shard disconnected");
  }
}
