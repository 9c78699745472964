import type { Server } from "node:http";
import { GatewayDispatchEvents, GatewayOpcodes } from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";

export interface GatewaySession {
  /** READY's `d`, built per connection (resume URL, bot user, guild ids). */
  ready(sessionNumber: number): Record<string, unknown>;
  /** GUILD_CREATE payloads sent right after READY; channels must be in them. */
  guilds(): Record<string, unknown>[];
}

/**
 * The gateway half of the fake: HELLO → IDENTIFY → READY + GUILD_CREATE, heartbeats ACKed, RESUME
 * answered with RESUMED, and `dispatch` for any event with an increasing sequence number.
 */
export class FakeGateway {
  /** The `d` of every IDENTIFY (intents, token…). */
  readonly identifyPayloads: Array<{ intents: number; token: string }> = [];
  readonly #sockets = new Set<WebSocket>();
  readonly #server: WebSocketServer;
  readonly #session: GatewaySession;
  #sequence = 0;

  constructor(server: Server, session: GatewaySession) {
    this.#session = session;
    this.#server = new WebSocketServer({ server });
    this.#server.on("connection", (socket) => this.#onSocket(socket));
  }

  dispatch(t: string, d: unknown): void {
    for (const socket of this.#sockets) this.#dispatchTo(socket, t, d);
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
    socket.on("close", () => this.#sockets.delete(socket));
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
        this.identifyPayloads.push(payload.d as { intents: number; token: string });
        this.#dispatchTo(
          socket,
          GatewayDispatchEvents.Ready,
          this.#session.ready(this.identifyPayloads.length),
        );
        for (const guild of this.#session.guilds()) {
          this.#dispatchTo(socket, GatewayDispatchEvents.GuildCreate, guild);
        }
      } else if (payload.op === GatewayOpcodes.Resume) {
        this.#dispatchTo(socket, GatewayDispatchEvents.Resumed, {});
      }
    });
  }
}
