import { join, resolve } from "node:path";
import { createDiscordAdapter, deployCommands } from "../adapters/discord/index.ts";
import { createPlaygroundAdapter } from "../adapters/playground/index.ts";
import { createSlackAdapter } from "../adapters/slack/index.ts";
import { openBlobStores } from "./blobs/blob-stores-from-config.ts";
import { type ChatAdapter, platformProblems } from "./chat/chat-adapter.ts";
import { type Config, loadConfig } from "./config.ts";
import { openCoordinationFromConfig } from "./coordination/coordination-from-config.ts";
import { instanceIdOf } from "./coordination/instance-id.ts";
import { ShardLeases } from "./coordination/shard-leases.ts";
import { ConfigError } from "./errors.ts";
import { createHttpAgent, OutboundGuard } from "./http/index.ts";
import { trustedHostsOf } from "./http/trusted-hosts.ts";
import { openInstallationStoreFromConfig } from "./installations/installation-store-from-config.ts";
import type { Job } from "./jobs/job.ts";
import { openJobStoreFromConfig } from "./jobs/job-store-from-config.ts";
import { createLogger, type Logger } from "./logger.ts";
import {
  createHttpMediaHost,
  createPosterLinks,
  createVideoLinks,
  mediaHostFromConfig,
  nonEmptyFileSize,
  posterPathFor,
} from "./media/index.ts";
import { sharedSigningSecret } from "./media/shared-signing-secret.ts";
import { createChatMetrics } from "./observability/metrics.ts";
import { openPostgresDatabase } from "./postgres/postgres-database.ts";
import { callbackRouteOf, providerFromConfig } from "./providers/provider-from-config.ts";
import { HttpServer } from "./server/http-server.ts";
import { mountOperations } from "./server/operations-routes.ts";
import { GenerationService } from "./service/generation-service.ts";
import { openSpaceSettingsFromConfig } from "./settings/space-settings-from-config.ts";
import { lockDataDirectory } from "./util/data-directory-lock.ts";
import { restrictNewFiles, tightenDataDirectory } from "./util/data-permissions.ts";
import { startHeapTrim } from "./util/heap-trim.ts";
import { persistentSecret } from "./util/persistent-secret.ts";

/** The composition root: the one place that reads the environment and wires every part together. */
async function main(
  config: Config,
  logger: Logger,
  instanceId: string,
): Promise<() => Promise<void>> {
  const dataDirectory = resolve(config.dataDirectory);
  restrictNewFiles();
  const unlock = await lockDataDirectory(dataDirectory);
  for (const warning of config.warnings) logger.warn(warning);
  const permissions = await tightenDataDirectory(dataDirectory);
  for (const warning of permissions.warnings) logger.warn(warning);
  if (permissions.tightened.length > 0) {
    logger.warn(
      { count: permissions.tightened.length, first: permissions.tightened.slice(0, 5) },
      "made files in DATA_DIR private (0600/0700); other users could read them",
    );
  }
  const server = new HttpServer(logger.child({ component: "http" }));
  const address = await server.listen(config.http.port, config.http.host);
  const publicBaseUrl = config.publicBaseUrl ?? localBaseUrl(config.http.host, address.port);
  // Every fetch of a URL from outside goes through this one agent: public addresses only, but
  // for the configured provider, platforms, OUTBOUND_ALLOWED_HOSTS and the bot itself.
  const guard = new OutboundGuard({ trustedHosts: [...trustedHostsOf(config), publicBaseUrl] });
  const outbound = createHttpAgent({ guard });
  // DATABASE_URL: a pool for the jobs and videos in PostgreSQL (and a small one for coordination); else SQLite files in DATA_DIR.
  const postgres = config.database && openPostgresDatabase(config.database);
  const store = await openJobStoreFromConfig({ postgres, dataDirectory });
  // Leases and shared values beside the job store; with DATABASE_URL, instances take turns through it.
  // Its own few connections, so lease renewals never queue behind job and video work on a busy pool.
  const coordinationPostgres =
    config.database &&
    openPostgresDatabase({
      ...config.database,
      poolSize: Math.max(2, Math.ceil(config.database.poolSize / 4)),
    });
  const coordination = await openCoordinationFromConfig({
    postgres: coordinationPostgres,
    dataDirectory,
  });
  // Each server's and workspace's /settings, beside the jobs.
  const spaceSettings = await openSpaceSettingsFromConfig({ postgres, dataDirectory });
  // Uploaded inputs and downloaded videos: in PostgreSQL with DATABASE_URL, so any instance serves them.
  const blobs = await openBlobStores({
    postgres,
    s3: config.s3,
    dataDirectory,
    logger: logger.child({ component: "blobs" }),
  });
  // Slack OAuth: each workspace's installation, sealed with SLACK_TOKEN_KEY or DATA_DIR/slack-token.key.
  const installations = config.slack?.oauth
    ? await openInstallationStoreFromConfig({
        postgres,
        dataDirectory,
        tokenKey: config.slack.oauth.tokenKey,
      })
    : undefined;
  // One key for every instance on the database, so a link one signs another serves.
  const mediaSecret =
    config.mediaSigningSecret ??
    (postgres
      ? await sharedSigningSecret(coordination)
      : await persistentSecret(join(dataDirectory, "media-signing.key")));
  const mediaHost = createHttpMediaHost({
    server,
    blobs: blobs.media,
    secret: mediaSecret,
    publicBaseUrl,
    logger: logger.child({ component: "media" }),
  });
  // The server host above stays for the playground's uploads, video links and the simulator.
  const inputHost = mediaHostFromConfig({
    config,
    serverHost: mediaHost,
    dataDirectory,
    logger: logger.child({ component: "media" }),
    dispatcher: outbound,
  });
  const shared = postgres
    ? {
        id: instanceId,
        coordination,
        timings: config.instance.leases,
        workScanIntervalMs: config.instance.workScanIntervalMs,
      }
    : undefined;
  // Sharing a database, Discord's shards are leased among the instances; alone, this one runs them all.
  const shardLeases =
    shared && config.discord
      ? new ShardLeases({
          coordination,
          holder: instanceId,
          timings: config.instance.leases,
          logger: logger.child({ component: "discord-shards" }),
          gateway: "discord",
        })
      : undefined;
  const heldLeases = () => [...service.heldLeases(), ...(shardLeases?.heldLeases() ?? [])];
  const provider = providerFromConfig(
    config,
    dataDirectory,
    logger,
    (url) => mediaHost.resolveLocalPath(url),
    { callbacks: true, dispatcher: outbound },
  );
  const callbackRoute = callbackRouteOf(provider);
  if (callbackRoute) server.route("POST", callbackRoute.path, callbackRoute.handler);
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
      maxJobsPerUser: config.limits.maxJobsPerUser,
      maxTakes: config.limits.maxTakes,
    },
    policy: config.policy,
    spaceSettings,
    ceilings: config.ceilings,
    inputLinkGuard: guard,
    // Extend's last frames reach the provider the way Slack files do (the simulator reads the bot's own).
    frameHost: inputHost.slackMediaHost ?? (provider.name === "simulator" ? mediaHost : undefined),
    ...(shared ? { shared } : {}),
    coordination,
    ...(blobs.videos ? { videoBlobs: blobs.videos } : {}),
  });
  const adapters: ChatAdapter[] = [];
  const operations = await mountOperations({
    server,
    settings: config.operations,
    host: config.http.host,
    logger: logger.child({ component: "operations" }),
    metrics: {
      store,
      onJobChange: (listener) => service.onJobChange(listener),
      onProviderConnection: (listener) => service.onProviderConnection(listener),
      heldLeases,
    },
    health: {
      storeHealthy: () => store.isHealthy() && coordination.isHealthy(),
      eventsConnected: () => service.isReady(),
      heldLeases,
      platformProblems: () => platformProblems(adapters),
    },
  });
  const chatMetrics = createChatMetrics(operations.registry);

  // A video too large to upload is linked instead, when users can reach this bot: a signed link
  // that works for a week (the message says until when), served from the video the bot keeps.
  const videoLinks = createVideoLinks({
    server,
    secret: mediaSecret,
    publicBaseUrl,
    // Copied from the shared store first when another instance downloaded it.
    videoOf: async (jobId) => {
      const video = await service.videoFile(jobId);
      return video ? { path: video.path, fileName: `seedance-${jobId}.mp4` } : undefined;
    },
  });
  // Poster frames (made beside each video when ffmpeg is there) under their own signed links.
  const posterLinks = createPosterLinks({
    server,
    secret: mediaSecret,
    publicBaseUrl,
    posterOf: async (jobId) => {
      const path = (await service.getJob(jobId))?.videoPath;
      const poster = path && posterPathFor(path);
      return poster && (await nonEmptyFileSize(poster)) !== undefined ? poster : undefined;
    },
  });
  const videoLink = (job: Job) =>
    config.publicBaseUrl && job.videoPath ? videoLinks.linkFor(job.id) : undefined;
  const posterLink = (job: Job) =>
    config.publicBaseUrl && job.videoPath ? posterLinks.linkFor(job.id) : undefined;
  if (config.discord) {
    adapters.push(
      createDiscordAdapter({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        messageContent: config.discord.messageContent,
        ...(config.discord.shardCount ? { shardCount: config.discord.shardCount } : {}),
        ...(shardLeases ? { shardLeases } : {}),
        ...(config.discord.publicKey
          ? { interactions: { server, publicKey: config.discord.publicKey } }
          : {}),
        gateway: config.discord.gateway,
        coordination,
        service,
        logger: logger.child({ component: "discord" }),
        videoLink: (job) => videoLink(job)?.url,
        metrics: chatMetrics,
      }),
    );
  }
  if (config.slack) {
    logger.info(
      { mediaHost: inputHost.kind },
      `Slack files reach the provider through ${inputHost.description}`,
    );
    adapters.push(
      createSlackAdapter({
        botToken: config.slack.botToken,
        appToken: config.slack.appToken,
        signingSecret: config.slack.signingSecret,
        apiUrl: config.slack.apiUrl,
        ...(config.slack.oauth && installations
          ? {
              oauth: {
                clientId: config.slack.oauth.clientId,
                clientSecret: config.slack.oauth.clientSecret,
                stateSecret: config.slack.oauth.stateSecret,
                authorizeUrl: config.slack.oauth.authorizeUrl,
                installations,
                ...(config.publicBaseUrl
                  ? {
                      redirectUri: `${config.publicBaseUrl.replace(/\/+$/, "")}/slack/oauth_redirect`,
                    }
                  : {}),
              },
            }
          : {}),
        service,
        server,
        // Slack files are private: they reach the provider through the host MEDIA_HOST picks.
        mediaHost: inputHost.slackMediaHost,
        logger: logger.child({ component: "slack" }),
        videoLink,
        posterLink,
        metrics: chatMetrics,
        dispatcher: outbound,
        bodyLimits: config.slack.bodyLimits,
      }),
    );
  }
  const playground = config.playground
    ? createPlaygroundAdapter({
        service,
        server,
        mediaHost,
        // Uploads reach a real provider the way Slack files do when MEDIA_HOST is not this server.
        providerHost:
          inputHost.kind === "server" || provider.name === "simulator"
            ? undefined
            : inputHost.slackMediaHost,
        logger: logger.child({ component: "playground" }),
        token: config.playground.token,
        sessionTtlMs: config.playground.sessionTtlMs,
        tokenAttempts: config.playground.tokenAttempts,
        uploads: config.playground.uploads,
        events: config.playground.events,
        simulated: provider.name === "simulator",
        publicBaseUrl,
        metrics: chatMetrics,
        dataDirectory: join(dataDirectory, "playground"),
      })
    : undefined;
  if (playground) adapters.push(playground);
  // Adapters are registered before recovery, so finished jobs resume straight to their platform.
  for (const adapter of adapters) service.registerAdapter(adapter);
  await mediaHost.start();
  blobs.start();
  // Its first sweep may talk to the Oxen hub; start-up does not wait for it.
  void inputHost.start();
  // Before recovery, so what a recovery of many pending jobs takes is given back once quiet.
  const heapTrim = startHeapTrim({ logger: logger.child({ component: "memory" }) });
  await service.start();
  for (const adapter of adapters) await adapter.start();

  const platforms = adapters.map((adapter) => adapter.platform);
  logger.info(
    {
      provider: provider.name,
      platforms,
      port: address.port,
      metricsPort: operations.port ?? address.port,
      dataDirectory,
    },
    `seedance-bot is running: provider ${provider.name}, platforms ${platforms.join(", ") || "none"}`,
  );
  if (playground) {
    const token = config.playground?.token ? "?token=<PLAYGROUND_TOKEN>" : "";
    process.stdout.write(`\nOpen ${playground.url}${token} to make a video.\n\n`);
  }
  return async () => {
    heapTrim.stop();
    for (const adapter of adapters) await adapter.stop();
    await server.close();
    await operations.close();
    await service.stop();
    mediaHost.stop();
    blobs.stop();
    await inputHost.stop();
    await store.close();
    await outbound.close();
    await coordination.close();
    await spaceSettings.close();
    await installations?.close();
    await coordinationPostgres?.end();
    await postgres?.end();
    await unlock();
  };
}

function localBaseUrl(host: string, port: number): string {
  const reachable = ["0.0.0.0", "::", ""].includes(host) ? "127.0.0.1" : host;
  return `http://${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
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
const instanceId = instanceIdOf(config.instance.id);
// Every line names the instance, so the logs of several instances can be told apart.
const logger = createLogger(config.logLevel, undefined, {
  maxLineBytes: config.logMaxLineBytes,
}).child({ instance: instanceId });
try {
  if (process.argv[2] === "commands:deploy") {
    await deployDiscordCommands(config, logger);
    process.exit(0);
  }
  const stop = await main(config, logger, instanceId);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down; unfinished jobs resume on the next start");
    // In-flight downloads and uploads get until the deadline; whatever is left resumes on restart.
    const deadline = setTimeout(() => {
      logger.warn({ graceMs: config.shutdownGraceMs }, "shutdown deadline reached; exiting now");
      process.exit(0);
    }, config.shutdownGraceMs);
    deadline.unref();
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
