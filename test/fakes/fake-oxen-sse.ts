import type { ServerResponse } from "node:http";

/** Captured before any test fakes timers, so keep-alives keep real time. */
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;

/**
 * `normal`: events and keep-alives flow. `keepAliveOnly`: events are lost, keep-alives still flow.
 * `stall`: not a byte is written (the connection stays open).
 */
export type FakeStreamMode = "normal" | "keepAliveOnly" | "stall";

/** The `/api/events` side of the fake hub: connected clients and what they are sent. */
export class FakeOxenEventHub {
  mode: FakeStreamMode = "normal";
  connectionsOpened = 0;
  readonly #clients = new Set<ServerResponse>();
  readonly #keepAliveIntervalMs: number;
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  constructor(keepAliveIntervalMs: number) {
    this.#keepAliveIntervalMs = keepAliveIntervalMs;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  accept(response: ServerResponse): void {
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.flushHeaders();
    this.#clients.add(response);
    this.connectionsOpened++;
    const timer =
      this.#keepAliveIntervalMs > 0
        ? realSetInterval(
            () => this.#writeTo(response, ": keep-alive\n\n", true),
            this.#keepAliveIntervalMs,
          )
        : undefined;
    response.on("close", () => {
      if (timer) realClearInterval(timer);
      this.#clients.delete(response);
    });
    this.#settleWaiters();
  }

  /** A `media_generation_completed` event (lost unless the mode is `normal`). */
  emitCompleted(data: Record<string, unknown>): void {
    if (this.mode !== "normal") return;
    this.emitRaw(`event: media_generation_completed\ndata: ${JSON.stringify(data)}\n\n`);
  }

  sendKeepAlive(): void {
    for (const client of this.#clients) this.#writeTo(client, ": keep-alive\n\n", true);
  }

  /** Writes raw bytes to every client, whatever the mode. */
  emitRaw(text: string | Uint8Array): void {
    for (const client of this.#clients) client.write(text);
  }

  /** Destroys every stream socket without a goodbye. */
  dropAll(): void {
    for (const client of this.#clients) client.socket?.destroy();
  }

  waitForClients(count: number): Promise<void> {
    if (this.#clients.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  #writeTo(client: ServerResponse, text: string, keepAlive: boolean): void {
    if (this.mode === "stall" || (!keepAlive && this.mode !== "normal")) return;
    client.write(text);
  }

  #settleWaiters(): void {
    for (const waiter of [...this.#waiters]) {
      if (this.#clients.size >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}
