import { join, resolve } from "node:path";
import { type Config, loadConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";
import { openSqliteJobStore } from "./jobs/sqlite-job-store.ts";
import { createLogger, type Logger } from "./logger.ts";
import { registerMetrics } from "./observability/metrics.ts";
import { providerFromConfig } from "./providers/provider-from-config.ts";
import { HttpServer, registerHealthRoutes } from "./server/http-server.ts";
import { GenerationService } from "./service/generation-service.ts";
import { lockDataDirectory } from "./util/data-directory-lock.ts";

/** The composition root: the one place that reads the environment and wires every part together. */
async function main(config: Config, logger: Logger): Promise<() => Promise<void>> {
  const dataDirectory = resolve(config.dataDirectory);
  const unlock = await lockDataDirectory(dataDirectory);
  for (const warning of config.warnings) logger.warn(warning);
  const store = openSqliteJobStore({ path: join(dataDirectory, "jobs.sqlite") });
  const provider = providerFromConfig(config, dataDirectory, logger);
  const service = new GenerationService({
    store,
    provider,
    logger: logger.child({ component: "service" }),
    settings: {
      videoDirectory: join(dataDirectory, "videos"),
      maxVideoBytes: config.delivery.maxVideoBytes,
      deliveryMaxAttempts: config.delivery.maxAttempts,
      sweepIntervalMs: config.timing.sweepIntervalMs,
      jobTimeoutMs: config.timing.jobTimeoutMs,
    },
  });
  const server = new HttpServer(logger.child({ component: "http" }));
  registerMetrics(server, {
    store,
    onJobChange: (listener) => service.onJobChange(listener),
    onProviderConnection: (listener) => service.onProviderConnection(listener),
  });
  registerHealthRoutes(server, {
    storeHealthy: () => store.isHealthy(),
    eventsConnected: () => service.isReady(),
  });
  const address = await server.listen(config.http.port, config.http.host);
  await service.start();
  logger.info(
    { provider: provider.name, platforms: [], port: address.port, dataDirectory },
    `seedance-bot is running: provider ${provider.name}, no chat platform configured yet, health on http://${config.http.host}:${address.port}/healthz`,
  );
  return async () => {
    await server.close();
    await service.stop();
    await store.close();
    await unlock();
  };
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  exitWith(error instanceof ConfigError ? error.message : String(error));
}
const logger = createLogger(config.logLevel);
try {
  const stop = await main(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down; unfinished jobs resume on the next start");
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
} catch (error) {
  if (error instanceof ConfigError) exitWith(error.message);
  logger.fatal({ err: error }, "start-up failed");
  process.exit(1);
}
