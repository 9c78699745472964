import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReverseProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A real reverse proxy on 127.0.0.1, as nginx or a tunnel client would run beside the bot: it
 * connects to the bot from loopback and passes each request on with the public Host header
 * (`keepHost`), or with the bot's own address and X-Forwarded-Host / X-Forwarded-For.
 */
export async function startReverseProxy(options: {
  targetPort: number;
  publicHost: string;
  mode: "public-host" | "rewritten-host";
}): Promise<ReverseProxy> {
  const server: Server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers };
    if (options.mode === "public-host") headers.host = options.publicHost;
    else {
      headers.host = `127.0.0.1:${options.targetPort}`;
      headers["x-forwarded-host"] = options.publicHost;
    }
    headers["x-forwarded-for"] = "203.0.113.7";
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: options.targetPort,
        method: incoming.method,
        path: incoming.url,
        headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
