import { join, resolve } from "node:path";
import { createDiscordAdapter, deployCommands } from "../adapters/discord/index.ts";
import type { ChatAdapter } from "./chat/chat-adapter.ts";
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

  const adapters: ChatAdapter[] = [];
  if (config.discord) {
    adapters.push(
      createDiscordAdapter({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        messageContent: config.discord.messageContent,
        service,
        logger: logger.child({ component: "discord" }),
      }),
    );
  }
  // Adapters are registered before recovery, so finished jobs resume straight to their platform.
  for (const adapter of adapters) service.registerAdapter(adapter);
  const address = await server.listen(config.http.port, config.http.host);
  await service.start();
  for (const adapter of adapters) await adapter.start();

  const platforms = adapters.map((adapter) => adapter.platform);
  logger.info(
    { provider: provider.name, platforms, port: address.port, dataDirectory },
    `seedance-bot is running: provider ${provider.name}, platforms ${platforms.join(", ") || "none"}, health on http://${config.http.host}:${address.port}/healthz`,
  );
  return async () => {
    await server.close();
    for (const adapter of adapters) await adapter.stop();
    await service.stop();
    await store.close();
    await unlock();
  };
}

/** `npm run commands:deploy`: registers the Discord commands (skipped when nothing changed). */
async function deployDiscordCommands(config: Config, logger: Logger): Promise<void> {
  if (!config.discord)
    throw new ConfigError("DISCORD_TOKEN is required to deploy the Discord commands.");
  const outcome = await deployCommands({
    token: config.discord.token,
    guildId: config.discord.guildId,
    apiUrl: config.discord.apiUrl,
    stateFile: join(resolve(config.dataDirectory), "discord-commands.sha256"),
    force: process.argv.includes("--force"),
    logger,
  });
  logger.info(
    outcome,
    `Discord commands ${outcome.status} (${outcome.scope}, ${outcome.count} commands)`,
  );
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
  if (process.argv[2] === "commands:deploy") {
    await deployDiscordCommands(config, logger);
    process.exit(0);
  }
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
