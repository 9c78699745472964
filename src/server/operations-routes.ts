import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";
import { type MetricsSources, registerMetrics } from "../observability/metrics.ts";
import {
  type HealthSources,
  HttpServer,
  registerLiveness,
  registerReadiness,
} from "./http-server.ts";
import { operationsAccess } from "./operations-access.ts";

export interface OperationsSettings {
  /** METRICS_PORT: /metrics and /readyz move to their own server on it. */
  port?: number | undefined;
  token?: string | undefined;
  hosts?: readonly string[];
}

export interface OperationsWiring {
  /** The bot's server on PORT; it always keeps /healthz. */
  server: HttpServer;
  settings: OperationsSettings;
  /** Where a METRICS_PORT server binds (HOST). */
  host: string;
  logger: Logger;
  metrics: MetricsSources;
  health: HealthSources;
}

export interface MountedOperations {
  registry: Registry;
  /** The port /metrics and /readyz answer on. */
  port: number | undefined;
  close(): Promise<void>;
}

/**
 * `/healthz` (open, says nothing), `/readyz` and `/metrics` (see `operations-access.ts` for who
 * may read them), on PORT or on METRICS_PORT.
 */
export async function mountOperations(wiring: OperationsWiring): Promise<MountedOperations> {
  const { settings } = wiring;
  const access = operationsAccess(settings);
  const separate = settings.port === undefined ? undefined : new HttpServer(wiring.logger);
  const target = separate ?? wiring.server;
  registerLiveness(wiring.server);
  if (separate) registerLiveness(separate);
  registerReadiness(target, wiring.health, access);
  const registry = registerMetrics(target, wiring.metrics, access);
  const address = separate ? await separate.listen(settings.port ?? 0, wiring.host) : undefined;
  return { registry, port: address?.port, close: async () => await separate?.close() };
}
