import type { KeyObject } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type APIAttachment,
  type APIChannel,
  type APIMessage,
  type APIUser,
  GatewayDispatchEvents,
  GuildPremiumTier,
} from "discord.js";
import { FakeGateway, type IdentifyPayload, shardOf } from "./fake-discord-gateway.ts";
import { type GuildIds, guildChannels, guildCreate, threadChannel } from "./fake-discord-guild.ts";
import type { EndpointAnswer } from "./fake-discord-http.ts";
import { handleRest } from "./fake-discord-rest.ts";

/** One REST call as the fake received it; multipart uploads are parsed into files. */
export interface RecordedCall {
  method: string;
  /** Decoded path under /api/v10, e.g. /channels/1/messages or /webhooks/2/tok/messages/@original. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** The JSON body, or `payload_json` of a multipart body. */
  json: unknown;
  files: RecordedFile[];
  status: number;
  /** When the fake received it (ms). */
  at: number;
  /** When its first byte arrived, before the body was read (ms since the epoch, sub-millisecond). */
  startedAt: number;
}

export interface RecordedFile {
  field: string;
  name: string;
  contentType: string;
  bytes: Buffer;
}

export interface InteractionRecord {
  id: string;
  token: string;
  channelId: string;
  guildId: string | undefined;
  /** The message a component was clicked on. */
  sourceMessageId?: string;
  originalMessageId?: string;
  /** Webhook calls with this token answer 401, as Discord does after 15 minutes. */
  expired?: boolean;
  /** Answered once already: another initial response is refused (40060), as Discord does. */
  acknowledged?: boolean;
}

export interface FakeDiscordOptions {
  premiumTier?: GuildPremiumTier;
  /** Split uploads with a plain byte splitter instead of `Request.formData()` (benchmarks: large files). */
  fastMultipart?: boolean;
  /** Shards `GET /gateway/bot` recommends (default 1); with more, there is a guild on each. */
  shardCount?: number;
  /** `session_start_limit.max_concurrency` (default 1). */
  maxConcurrency?: number;
  /** Files over this size are refused with 413 (40005), as Discord does past a channel's limit. */
  maxUploadBytes?: number;
}

const discordEpoch = 1_420_070_400_000n;

/**
 * A loopback Discord: REST under /api/v10 and a gateway WebSocket on one 127.0.0.1 port, enough for
 * the real discord.js client to log in, receive events, answer interactions and upload files. It
 * keeps every message it creates or is told about, so clients can fetch and edit them.
 */
export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, APIMessage>();
  /** By token. */
  readonly interactions = new Map<string, InteractionRecord>();
  readonly applicationId: string;
  readonly fastMultipart: boolean;
  readonly maxUploadBytes: number;
  readonly botUser: APIUser;
  readonly guildId: string;
  readonly channelId: string;
  readonly threadId: string;
  readonly moreThreadIds: string[] = [];
  /** Direct-message channels opened with `POST /users/@me/channels`, by recipient user id. */
  readonly directMessageChannels = new Map<string, string>();
  readonly shardCount: number;
  readonly maxConcurrency: number;
  /** One guild per shard, in shard order; the first is the fake's own guild (`guildId`). */
  readonly shardGuilds: GuildIds[];
  /** Every version of every message, oldest first (to read a card's whole story). */
  readonly history = new Map<string, APIMessage[]>();
  /** Set: interactions go to the bot's Interactions Endpoint URL (signed with this key), not the gateway. */
  interactionsEndpoint: { url: string; privateKey: KeyObject } | undefined;
  /** The HTTP answers of that endpoint, in order. */
  readonly endpointAnswers: EndpointAnswer[] = [];
  readonly #cdn = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly #failures: Array<{
    method: string;
    path: RegExp;
    status: number;
    body: unknown;
    afterApplying: boolean;
  }> = [];
  readonly #waiters = new Set<() => void>();
  readonly #server: Server;
  readonly #gateway: FakeGateway;
  #counter = 0n;

  private constructor(options: FakeDiscordOptions) {
    this.fastMultipart = options.fastMultipart ?? false;
    this.maxUploadBytes = options.maxUploadBytes ?? Number.POSITIVE_INFINITY;
    this.applicationId = this.snowflake();
    this.botUser = {
      id: this.applicationId,
      username: "seedance",
      discriminator: "0",
      global_name: null,
      avatar: null,
      bot: true,
    };
    this.shardCount = options.shardCount ?? 1;
    this.maxConcurrency = options.maxConcurrency ?? 1;
    this.guildId = this.shardCount === 1 ? this.snowflake() : this.#guildOnShard(0);
    this.channelId = this.snowflake();
    this.threadId = this.snowflake();
    this.shardGuilds = [this];
    for (let shard = 1; shard < this.shardCount; shard++) {
      const ids = [this.#guildOnShard(shard), this.snowflake(), this.snowflake()] as const;
      this.shardGuilds.push({
        guildId: ids[0],
        channelId: ids[1],
        threadId: ids[2],
        moreThreadIds: [],
      });
    }
    const premiumTier = options.premiumTier ?? GuildPremiumTier.None;
    const guildsOf = (shard: number) =>
      this.shardGuilds.filter((guild) => shardOf(guild.guildId, this.shardCount) === shard);
    this.#server = createServer((request, response) => void this.#onHttp(request, response));
    this.#gateway = new FakeGateway(this.#server, {
      shardCount: this.shardCount,
      ready: (sessionNumber, shard) => ({
        v: 10,
        user: this.botUser,
        guilds: guildsOf(shard[0]).map((guild) => ({ id: guild.guildId, unavailable: true })),
        session_id: `session-${sessionNumber}`,
        resume_gateway_url: this.url.replace("http", "ws"),
        application: { id: this.applicationId, flags: 0 },
        shard,
      }),
      guilds: (shard) => guildsOf(shard).map((guild) => guildCreate(guild, premiumTier)),
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.#server.listen(0, "127.0.0.1");
    await once(fake.#server, "listening");
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Pass as discord.js `rest.api`. */
  get apiUrl(): string {
    return `${this.url}/api`;
  }

  get identifyPayloads(): ReadonlyArray<IdentifyPayload> {
    return this.#gateway.identifyPayloads;
  }

  /** A new id; its timestamp part is `at`, so interaction age can be set. */
  snowflake(at = Date.now()): string {
    this.#counter += 1n;
    return String(((BigInt(at) - discordEpoch) << 22n) | (this.#counter & 0xfffn));
  }

  /** Keeps a call the fake made happen itself (an endpoint's answer) and wakes its waiters. */
  record(call: RecordedCall): void {
    this.calls.push(call);
    for (const wake of [...this.#waiters]) wake();
  }

  /** The shard of each open gateway connection: each shard once, when every shard runs once. */
  connectedShards(): number[] {
    return this.#gateway.connectedShards();
  }

  /** A guild id on `shard`: its timestamp part picks the shard (`(id >> 22) % shardCount`). */
  #guildOnShard(shard: number): string {
    const now = Date.now();
    const offset = (now - Number(discordEpoch)) % this.shardCount;
    return this.snowflake(now - offset + shard);
  }

  /** Sends a gateway event to the connections of its shard (the guild's; shard 0 without one). */
  dispatch(t: string, d: unknown): void {
    this.#gateway.dispatch(t, d);
  }

  channels(): APIChannel[] {
    return this.shardGuilds.flatMap((guild) => guildChannels(guild));
  }

  /** Opens a new public thread under the text channel and tells the client (THREAD_CREATE). */
  createThread(): string {
    const id = this.snowflake();
    this.moreThreadIds.push(id);
    this.dispatch(GatewayDispatchEvents.ThreadCreate, {
      ...threadChannel(this, id),
      newly_created: true,
    });
    return id;
  }

  /** Stores a message version (create or edit). */
  keep(message: APIMessage): void {
    this.messages.set(message.id, message);
    this.history.set(message.id, [...(this.history.get(message.id) ?? []), message]);
  }

  /**
   * The next matching request answers with this status and body instead. With `afterApplying`,
   * Discord does what was asked first (the message is posted) and only the answer is lost.
   */
  failNext(
    method: string,
    path: RegExp,
    status: number,
    body: unknown = { message: "fake failure", code: 0 },
    { afterApplying = false }: { afterApplying?: boolean } = {},
  ): void {
    this.#failures.push({ method, path, status, body, afterApplying });
  }

  takeFailure(method: string, path: string) {
    const index = this.#failures.findIndex(
      (failure) => failure.method === method && failure.path.test(path),
    );
    return index === -1 ? undefined : this.#failures.splice(index, 1)[0];
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((call) => call.method === method && path.test(call.path));
  }

  /** Resolves with the first call (past or future) that matches. */
  async waitForCall(
    match: (call: RecordedCall) => boolean,
    { timeoutMs = 30_000, description = "a REST call" } = {},
  ): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find(match);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const seen = this.calls.map((call) => `${call.method} ${call.path}`).join("\n  ");
        throw new Error(`Timed out waiting for ${description}; calls so far:\n  ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, remaining);
        this.#waiters.add(wake);
      });
    }
  }

  /** Serves bytes at a CDN URL on the fake and describes them as a Discord attachment. */
  /**
   * A file on the fake CDN. Its URL is signed the way Discord's are: `ex` (expiry) and `is` (issued),
   * Unix seconds in hexadecimal, and `hm` (signature); links last a day unless told otherwise.
   */
  attachment(
    fileName: string,
    bytes: Buffer,
    contentType: string | undefined,
    options: { expiresAt?: number } = {},
  ): APIAttachment {
    const id = this.snowflake();
    const path = `/cdn/attachments/${id}/${fileName}`;
    this.#cdn.set(path, { bytes, contentType: contentType ?? "application/octet-stream" });
    const url = this.#signedCdnUrl(path, options.expiresAt);
    return {
      id,
      filename: fileName,
      size: bytes.length,
      url,
      proxy_url: url,
      ...(contentType ? { content_type: contentType } : {}),
    };
  }

  #signedCdnUrl(path: string, expiresAt = Date.now() + 24 * 60 * 60_000): string {
    const hex = (milliseconds: number) => Math.floor(milliseconds / 1000).toString(16);
    return `${this.url}${path}?ex=${hex(expiresAt)}&is=${hex(Date.now())}&hm=${this.snowflake()}&`;
  }

  /** `POST /attachments/refresh-urls`: a fresh day-long link for a file still on the CDN. */
  refreshedCdnUrl(url: string): string | undefined {
    const path = URL.parse(url)?.pathname;
    return path && this.#cdn.has(path) ? this.#signedCdnUrl(path) : undefined;
  }

  async close(): Promise<void> {
    this.#gateway.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #onHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = performance.timeOrigin + performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", this.url);
    const cdnFile = this.#cdn.get(url.pathname);
    if (cdnFile) {
      response.writeHead(200, {
        "content-type": cdnFile.contentType,
        "content-length": cdnFile.bytes.length,
      });
      response.end(cdnFile.bytes);
      return;
    }
    await handleRest(this, request, response, url, Buffer.concat(chunks), startedAt);
    for (const wake of [...this.#waiters]) wake();
  }
}
