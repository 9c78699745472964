import type { Server } from "node:http";
import { GatewayDispatchEvents, GatewayOpcodes } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";

export interface GatewaySession {
  /** How many shards the bot is told to run (`GET /gateway/bot`); events are routed by it. */
  readonly shardCount: number;
  /** READY's `d`, built per connection (resume URL, bot user, guild ids of the shard). */
  ready(sessionNumber: number, shard: [number, number]): Record<string, unknown>;
  /** GUILD_CREATE payloads of the shard's guilds, sent right after READY; channels must be in them. */
  guilds(shardId: number): Record<string, unknown>[];
}

export interface IdentifyPayload {
  intents: number;
  token: string;
  shard?: [number, number];
}

/** Discord's rule: a guild's events go to shard `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/**
 * The gateway half of the fake: HELLO → IDENTIFY (with `shard: [id, count]` or none, which is shard
 * 0) → READY + the shard's GUILD_CREATEs, heartbeats ACKed, RESUME answered with RESUMED, and
 * `dispatch` for any event with an increasing sequence number, to the sockets of the event's shard
 * (its `guild_id`'s; shard 0 for DMs, as Discord does).
 */
export class FakeGateway {
  /** The `d` of every IDENTIFY (intents, token…). */
  readonly identifyPayloads: IdentifyPayload[] = [];
  readonly #sockets = new Set<WebSocket>();
  /** The shard each identified socket runs. */
  readonly #shards = new Map<WebSocket, number>();
  readonly #sessionShards = new Map<string, number>();
  readonly #server: WebSocketServer;
  readonly #session: GatewaySession;
  #sequence = 0;

  constructor(server: Server, session: GatewaySession) {
    this.#session = session;
    this.#server = new WebSocketServer({ server });
    this.#server.on("connection", (socket) => this.#onSocket(socket));
  }

  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    const shard = typeof guildId === "string" ? shardOf(guildId, this.#session.shardCount) : 0;
    for (const socket of this.#sockets) {
      if ((this.#shards.get(socket) ?? 0) === shard) this.#dispatchTo(socket, t, d);
    }
  }

  /** The shard of each open, identified connection (one entry per connection). */
  connectedShards(): number[] {
    return [...this.#shards.values()].sort((a, b) => a - b);
  }

  close(): void {
    for (const socket of this.#sockets) socket.terminate();
    this.#server.close();
  }

  #send(socket: WebSocket, payload: unknown): void {
    socket.send(JSON.stringify(payload));
  }

  #dispatchTo(socket: WebSocket, t: string, d: unknown): void {
    this.#send(socket, { op: GatewayOpcodes.Dispatch, t, s: ++this.#sequence, d });
  }

  #onSocket(socket: WebSocket): void {
    this.#sockets.add(socket);
    socket.on("close", () => {
      this.#sockets.delete(socket);
      this.#shards.delete(socket);
    });
    // A long interval: no heartbeat fires during a test, but ACKs are ready when one does.
    this.#send(socket, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: 45_000 },
      s: null,
      t: null,
    });
    socket.on("message", (raw) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (payload.op === GatewayOpcodes.Heartbeat) {
        this.#send(socket, { op: GatewayOpcodes.HeartbeatAck });
      } else if (payload.op === GatewayOpcodes.Identify) {
        const identify = payload.d as IdentifyPayload;
        this.identifyPayloads.push(identify);
        const shard = identify.shard ?? [0, 1];
        this.#shards.set(socket, shard[0]);
        const ready = this.#session.ready(this.identifyPayloads.length, shard);
        this.#sessionShards.set(String(ready.session_id), shard[0]);
        this.#dispatchTo(socket, GatewayDispatchEvents.Ready, ready);
        for (const guild of this.#session.guilds(shard[0])) {
          this.#dispatchTo(socket, GatewayDispatchEvents.GuildCreate, guild);
        }
      } else if (payload.op === GatewayOpcodes.Resume) {
        const { session_id: session } = payload.d as { session_id: string };
        this.#shards.set(socket, this.#sessionShards.get(session) ?? 0);
        this.#dispatchTo(socket, GatewayDispatchEvents.Resumed, {});
      }
    });
  }
}
