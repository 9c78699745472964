import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { registerMetrics } from "../../src/observability/metrics.ts";
import { HttpServer, registerHealthRoutes } from "../../src/server/http-server.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe("metrics and health over HTTP", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  let server: HttpServer;
  let baseUrl: string;

  beforeEach(async () => {
    harness = await createHarness();
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterEach(async () => {
    await server.close();
    await harness.close();
  });

  it("counts job transitions, latencies and spend in Prometheus format", async () => {
    const { service, store } = await harness.boot();
    registerMetrics(server, {
      store,
      onJobChange: (listener) => service.onJobChange(listener),
      onProviderConnection: (listener) => service.onProviderConnection(listener),
    });
    const job = await service.submit({ mode: "text", prompt: "measured" }, origin);
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    const response = await request(`${baseUrl}/metrics`);
    expect(response.statusCode).toBe(200);
    const text = await response.body.text();
    expect(text).toContain('seedance_job_transitions_total{state="delivered"} 1');
    expect(text).toContain("seedance_jobs_pending 0");
    expect(text).toContain("seedance_job_done_to_delivered_seconds_count 1");
    expect(text).toContain("seedance_spend_total 0.84");
  });

  it("serves /healthz always and /readyz only when store and events are up", async () => {
    let ready = false;
    registerHealthRoutes(server, { storeHealthy: () => true, eventsConnected: () => ready });
    expect((await request(`${baseUrl}/healthz`)).statusCode).toBe(200);
    const notReady = await request(`${baseUrl}/readyz`);
    expect(notReady.statusCode).toBe(503);
    expect(await notReady.body.json()).toMatchObject({ store: "open", events: "disconnected" });
    ready = true;
    expect((await request(`${baseUrl}/readyz`)).statusCode).toBe(200);
    expect((await request(`${baseUrl}/nothing`)).statusCode).toBe(404);
  });
});

describe("http server routing", () => {
  it("prefers exact paths, then the longest prefix, whatever the registration order", async () => {
    const server = new HttpServer(createSilentLogger());
    server.route("GET", "/", (_request, response) => void response.end("page"));
    server.route("GET", "/media/", (_request, response) => void response.end("media"));
    server.route("GET", "/healthz", (_request, response) => void response.end("health"));
    const address = await server.listen(0, "127.0.0.1");
    const get = async (path: string) =>
      (await request(`http://127.0.0.1:${address.port}${path}`)).body.text();
    expect(await get("/healthz")).toBe("health");
    expect(await get("/media/abc")).toBe("media");
    expect(await get("/anything")).toBe("page");
    await server.close();
  });
});
