import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A listener on 127.0.0.1 that only counts who called it: nothing the bot is given should. */
export async function startLoopbackTrap() {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url} ${request.headers.authorization ?? ""}`);
    response.writeHead(200, { "content-type": "image/png" }).end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    hits,
    port,
    /** The trap under the spellings a filter might miss, plus private and link-local ones. */
    urls: [
      `http://127.0.0.1:${port}/secret.png`,
      `http://localhost:${port}/admin`,
      `http://2130706433:${port}/decimal`,
      `http://0x7f.0.0.1:${port}/hex`,
      "http://169.254.169.254/latest/meta-data/iam/",
      "http://10.0.0.1/internal.png",
      "http://[fe80::1]/link-local.png",
    ],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
