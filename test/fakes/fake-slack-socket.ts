import type { Server } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";

export type SocketEnvelopeType = "events_api" | "slash_commands" | "interactive";

/**
 * Slack's Socket Mode on the fake's port: `apps.connections.open` hands out `ws://…/link`, the
 * server says hello, sends envelopes, and collects the client's acks (with their payloads).
 */
export class FakeSlackSocket {
  readonly connections: number[] = [];
  readonly #server: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  readonly #acks = new Map<string, (payload: unknown) => void>();
  #envelopes = 0;

  constructor(server: Server) {
    this.#server = new WebSocketServer({ server, path: "/link" });
    this.#server.on("connection", (socket) => this.#onSocket(socket));
  }

  get connected(): boolean {
    return this.#sockets.size > 0;
  }

  /** Sends one envelope to the connected app; resolves with the payload of its ack. */
  async send(type: SocketEnvelopeType, payload: unknown, retryAttempt = 0): Promise<unknown> {
    const [socket] = this.#sockets;
    if (!socket) throw new Error("no Socket Mode client is connected");
    this.#envelopes += 1;
    const envelopeId = `envelope-${this.#envelopes}`;
    const acked = new Promise<unknown>((resolve) => this.#acks.set(envelopeId, resolve));
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== "events_api",
        ...(type === "events_api"
          ? { retry_attempt: retryAttempt, retry_reason: retryAttempt ? "timeout" : "" }
          : {}),
      }),
    );
    return await acked;
  }

  close(): void {
    for (const socket of this.#sockets) socket.terminate();
    this.#server.close();
  }

  #onSocket(socket: WebSocket): void {
    this.#sockets.add(socket);
    this.connections.push(Date.now());
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("message", (raw) => {
      const message = JSON.parse(String(raw)) as { envelope_id?: string; payload?: unknown };
      if (!message.envelope_id) return;
      this.#acks.get(message.envelope_id)?.(message.payload ?? {});
      this.#acks.delete(message.envelope_id);
    });
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        connection_info: { app_id: "A0FAKE" },
        debug_info: { host: "fake-slack", approximate_connection_time: 3600 },
      }),
    );
  }
}
