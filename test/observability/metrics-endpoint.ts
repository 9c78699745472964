import { request } from "undici";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { createSilentLogger } from "../../src/logger.ts";
import type { ChatMetrics } from "../../src/observability/chat-metrics.ts";
import { createChatMetrics, registerMetrics } from "../../src/observability/metrics.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import type { GenerationService } from "../../src/service/generation-service.ts";

export interface MetricsEndpoint {
  /** Wires the service's metrics and the chat metrics onto `/metrics`, as `src/main.ts` does. */
  wire(service: GenerationService, store: JobStore): ChatMetrics;
  /** GET /metrics over HTTP. */
  scrape(): Promise<string>;
  close(): Promise<void>;
}

/** A /metrics endpoint on its own loopback server, for the adapter under test to report to. */
export async function startMetricsEndpoint(): Promise<MetricsEndpoint> {
  const server = new HttpServer(createSilentLogger());
  const address = await server.listen(0, "127.0.0.1");
  return {
    wire(service, store) {
      const registry = registerMetrics(server, {
        store,
        onJobChange: (listener) => service.onJobChange(listener),
        onProviderConnection: (listener) => service.onProviderConnection(listener),
      });
      return createChatMetrics(registry);
    },
    async scrape() {
      const response = await request(`http://127.0.0.1:${address.port}/metrics`);
      if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
      return await response.body.text();
    },
    close: () => server.close(),
  };
}
