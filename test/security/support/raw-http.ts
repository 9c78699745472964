import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { request } from "undici";

export interface RawAnswer {
  status: number;
  /** Everything the server sent (status line, headers and body). */
  text: string;
}

/** A request written by hand on a socket: headers first, then as much of a body as we choose. */
export class RawRequest {
  readonly #socket: Socket;
  #received = "";
  readonly #answered: Promise<RawAnswer>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk) => {
      this.#received += String(chunk);
    });
    socket.on("error", () => undefined);
    this.#answered = new Promise((resolve) => {
      const settle = () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(this.#received)?.[1] ?? 0);
        resolve({ status, text: this.#received });
      };
      socket.on("data", () => {
        if (/\r\n\r\n/.test(this.#received)) settle();
      });
      socket.on("close", settle);
    });
  }

  /** Opens a connection and sends the request line and headers (and nothing else yet). */
  static async start(
    port: number,
    head: { method?: string; path: string; headers: Record<string, string | number> },
  ): Promise<RawRequest> {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    const lines = [`${head.method ?? "POST"} ${head.path} HTTP/1.1`, "host: 127.0.0.1"];
    for (const [name, value] of Object.entries(head.headers)) lines.push(`${name}: ${value}`);
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    return new RawRequest(socket);
  }

  /** Sends part of a body (resolves once the socket took it, or the server is gone). */
  async write(bytes: Buffer | string): Promise<void> {
    if (this.#socket.destroyed) return;
    await new Promise<void>((resolve) => this.#socket.write(bytes, () => resolve()));
  }

  /** Resolves with the answer's status once its headers have arrived (or the socket closed). */
  answer(): Promise<RawAnswer> {
    return this.#answered;
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** GET /healthz: what a load balancer asks while the hostile requests are under way. */
export async function healthStatus(baseUrl: string): Promise<number> {
  const response = await request(`${baseUrl}/healthz`);
  await response.body.dump();
  return response.statusCode;
}
