import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryJobStore } from "../../src/jobs/memory-job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import {
  type MountedOperations,
  mountOperations,
  type OperationsSettings,
} from "../../src/server/operations-routes.ts";

interface Answer {
  status: number;
  body: string;
}

/** A GET with a Host header of our choosing, as a rebinding page or a proxy would send it. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: "127.0.0.1", port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (response) => {
        let body = "";
        response.on("data", (chunk) => {
          body += String(chunk);
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

let server: HttpServer | undefined;
let operations: MountedOperations | undefined;
afterEach(async () => {
  await operations?.close();
  await server?.close();
  server = undefined;
  operations = undefined;
});

/** The bot's server with its operational routes, mounted as `src/main.ts` mounts them. */
async function start(settings: OperationsSettings = {}) {
  server = new HttpServer(createSilentLogger());
  const { port } = await server.listen(0, "127.0.0.1");
  const store = createMemoryJobStore();
  operations = await mountOperations({
    server,
    settings,
    host: "127.0.0.1",
    logger: createSilentLogger(),
    metrics: { store, onJobChange: () => () => true, onProviderConnection: () => () => true },
    health: { storeHealthy: () => true, eventsConnected: () => true },
  });
  return { port, operationsPort: operations.port ?? port };
}

const endpoints = ["/metrics", "/readyz"];

describe("/metrics and /readyz answer on purpose", () => {
  it("from this machine, naming a loopback host: answered", async () => {
    const { port } = await start();
    for (const path of endpoints) {
      expect((await get(port, path)).status).toBe(200);
      expect((await get(port, path, { host: `localhost:${port}` })).status).toBe(200);
    }
    expect((await get(port, "/metrics")).body).toContain("seedance_jobs_pending");
  });

  it("a DNS-rebinding page (Host: its own name, on 127.0.0.1): refused; /healthz still open", async () => {
    const { port } = await start();
    const rebound = { host: `attacker.example:${port}` };
    for (const path of endpoints) {
      const answer = await get(port, path, rebound);
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain("seedance_");
    }
    expect(await get(port, "/healthz", rebound)).toEqual({
      status: 200,
      body: JSON.stringify({ status: "ok" }),
    });
  });

  it("forwarded by a reverse proxy on this machine, even with a loopback Host: refused", async () => {
    const { port } = await start();
    for (const header of ["x-forwarded-for", "forwarded", "x-real-ip"]) {
      expect((await get(port, "/metrics", { [header]: "203.0.113.9" })).status).toBe(403);
    }
  });

  it("a host named in METRICS_HOSTS: answered; any other name: refused", async () => {
    const { port } = await start({ hosts: ["bot.internal"] });
    expect((await get(port, "/metrics", { host: `bot.internal:${port}` })).status).toBe(200);
    expect((await get(port, "/readyz", { host: "bot.internal" })).status).toBe(200);
    expect((await get(port, "/metrics", { host: "bot.internal.evil.example" })).status).toBe(403);
  });

  it("with METRICS_TOKEN: only `Authorization: Bearer <token>` opens them, from anywhere", async () => {
    const token = "a-metrics-token-of-some-length";
    const { port } = await start({ token });
    for (const path of endpoints) {
      expect((await get(port, path)).status).toBe(401);
      expect((await get(port, path, { authorization: "Bearer wrong-token" })).status).toBe(401);
      expect((await get(port, path, { authorization: token })).status).toBe(401);
      const opened = await get(port, path, {
        authorization: `Bearer ${token}`,
        host: "anywhere.example",
      });
      expect(opened.status).toBe(200);
    }
    expect((await get(port, "/healthz")).status).toBe(200);
  });

  it("with METRICS_PORT: they move to their own port; PORT keeps only /healthz", async () => {
    const { port, operationsPort } = await start({ port: 0 });
    expect(operationsPort).not.toBe(port);
    for (const path of endpoints) {
      expect((await get(port, path)).status).toBe(404);
      expect((await get(operationsPort, path)).status).toBe(200);
      expect((await get(operationsPort, path, { host: "attacker.example" })).status).toBe(403);
    }
    expect((await get(port, "/healthz")).status).toBe(200);
    expect((await get(operationsPort, "/healthz")).status).toBe(200);
  });

  it("200 refused scrapes in a row: each refused, /healthz answers throughout", async () => {
    const { port } = await start();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => get(port, "/metrics", { host: "attacker.example" })),
    );
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([403]));
    expect((await get(port, "/healthz")).status).toBe(200);
  });
});
