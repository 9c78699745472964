import { z } from "zod";
import {
  apiRootUrl,
  choice,
  flag,
  fraction,
  hostList,
  idList,
  matching,
  optionalHttpUrl,
  optionalText,
  optionalWholeNumber,
  patternList,
  postgresUrl,
  wholeNumber,
} from "./config-fields.ts";
import { s3Checks, s3EnvironmentSchema, s3Settings } from "./config-s3.ts";
import { resolutions } from "./domain/generation-request.ts";
import { defaultMaxTakes, takesCeiling } from "./domain/takes.ts";
import { ConfigError } from "./errors.ts";

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const providers = ["oxen", "simulator", "aihubmax", "evolink", "fal", "byteplus"] as const;
/** Where Slack's private files are published for the provider; see src/media/media-host-from-config.ts. */
export const mediaHostChoices = ["auto", "server", "oxen-repo", "provider", "data-uri"] as const;
const loopbackHosts = new Set(["127.0.0.1", "localhost", "::1"]);

/** Every environment variable the bot reads, with its default; the README documents each one. */
export const environmentSchema = z.object({
  PROVIDER: choice(providers),
  OXEN_API_KEY: optionalText(),
  OXEN_BASE_URL: optionalHttpUrl("such as https://hub.oxen.ai", "https://hub.oxen.ai"),
  AIHUBMAX_API_KEY: optionalText(),
  AIHUBMAX_BASE_URL: apiRootUrl("such as https://api.aihubmax.com", "https://api.aihubmax.com"),
  EVOLINK_API_KEY: optionalText(),
  EVOLINK_BASE_URL: apiRootUrl("such as https://api.evolink.ai", "https://api.evolink.ai"),
  EVOLINK_FILES_BASE_URL: optionalHttpUrl(
    "such as https://files-api.evolink.ai",
    "https://files-api.evolink.ai",
  ),
  FAL_KEY: optionalText(),
  FAL_QUEUE_URL: optionalHttpUrl("such as https://queue.fal.run", "https://queue.fal.run"),
  /** fal's REST host for file storage (MEDIA_HOST=provider with PROVIDER=fal). */
  FAL_STORAGE_URL: optionalHttpUrl(
    "such as https://rest.alpha.fal.ai",
    "https://rest.alpha.fal.ai",
  ),
  ARK_API_KEY: optionalText(),
  ARK_BASE_URL: optionalHttpUrl(
    "such as https://ark.ap-southeast.bytepluses.com/api/v3",
    "https://ark.ap-southeast.bytepluses.com/api/v3",
  ),
  ARK_SERVICE_TIER: choice(["default", "flex"] as const),
  SIMULATOR_DELAY_MS: wholeNumber(0, 3_600_000, 4_000),
  SIMULATOR_FAILURE_RATE: fraction(0),
  DATA_DIR: optionalText(),
  DATABASE_URL: postgresUrl(),
  DATABASE_POOL_SIZE: wholeNumber(1, 1000, 10),
  INSTANCE_ID: matching(
    /^[A-Za-z0-9_.:-]{1,100}$/,
    "up to 100 letters, digits, '.', '_', ':' or '-', such as bot-1",
  ),
  LEASE_TTL_MS: wholeNumber(200, 600_000, 10_000),
  LEASE_RENEW_MS: wholeNumber(50, 300_000, 3_000),
  LEASE_RETRY_MS: wholeNumber(50, 300_000, 2_000),
  WORK_SCAN_INTERVAL_MS: wholeNumber(50, 600_000, 5_000),
  PORT: wholeNumber(0, 65_535, 3000),
  HOST: optionalText(),
  PUBLIC_BASE_URL: optionalHttpUrl("where users and the provider reach this bot"),
  LOG_LEVEL: choice(logLevels),
  MEDIA_SIGNING_SECRET: optionalText(32),
  MEDIA_HOST: choice(mediaHostChoices),
  OXEN_MEDIA_REPO: matching(
    /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
    "an Oxen repository as namespace/name, such as my-team/bot-uploads",
  ),
  OXEN_MEDIA_BRANCH: matching(
    /^[A-Za-z0-9_.-]+$/,
    "a branch name of letters, digits, '.', '_' or '-'",
    "main",
  ),
  SSE_IDLE_TIMEOUT_MS: wholeNumber(1000, 600_000, 45_000),
  SWEEP_INTERVAL_MS: wholeNumber(1000, 3_600_000, 60_000),
  JOB_TIMEOUT_MS: wholeNumber(60_000, 86_400_000, 45 * 60_000),
  MAX_VIDEO_BYTES: wholeNumber(1024, 4 * 1024 ** 3, 512 * 1024 ** 2),
  DELIVERY_MAX_ATTEMPTS: wholeNumber(1, 50, 6),
  DISCORD_TOKEN: optionalText(),
  DISCORD_GUILD_ID: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^\d{15,25}$/, { error: "must be a numeric Discord server id" })
      .optional(),
  ),
  DISCORD_MESSAGE_CONTENT: flag(),
  DISCORD_SHARD_COUNT: optionalWholeNumber(1, 100_000),
  DISCORD_API_URL: optionalHttpUrl("such as https://discord.com/api", "https://discord.com/api"),
  DISCORD_PUBLIC_KEY: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, {
        error: "must be the application's public key: 64 hex characters (General Information page)",
      })
      .optional(),
  ),
  DISCORD_GATEWAY: flag(),
  SLACK_BOT_TOKEN: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .startsWith("xoxb-", { error: 'must be a bot token starting with "xoxb-"' })
      .optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .startsWith("xapp-", { error: 'must be an app-level token starting with "xapp-"' })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText(),
  SLACK_API_URL: optionalHttpUrl("such as https://slack.com/api/", "https://slack.com/api"),
  SLACK_CLIENT_ID: optionalText(),
  SLACK_CLIENT_SECRET: optionalText(),
  SLACK_STATE_SECRET: optionalText(16),
  SLACK_OAUTH_AUTHORIZE_URL: optionalHttpUrl(
    "such as https://slack.com/oauth/v2/authorize",
    "https://slack.com/oauth/v2/authorize",
  ),
  // A secret: the error never echoes the value.
  SLACK_TOKEN_KEY: z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined),
    z
      .string()
      .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
        error: "must be 32 bytes as 64 hex characters or 44 characters of base64",
      })
      .optional(),
  ),
  PLAYGROUND: flag(),
  PLAYGROUND_HOST: optionalText(),
  PLAYGROUND_TOKEN: optionalText(16),
  PLAYGROUND_SESSION_TTL_MS: wholeNumber(60_000, 90 * 86_400_000, 7 * 86_400_000),
  PLAYGROUND_TOKEN_ATTEMPTS: wholeNumber(1, 10_000, 10),
  PLAYGROUND_UPLOAD_MAX_BYTES: wholeNumber(1024, 1024 ** 3, 50 * 1024 ** 2),
  PLAYGROUND_UPLOADS_PER_USER: wholeNumber(1, 1000, 4),
  PLAYGROUND_UPLOADS_TOTAL: wholeNumber(1, 10_000, 16),
  PLAYGROUND_UPLOAD_QUOTA_BYTES: wholeNumber(1024 ** 2, 1024 ** 4, 2 * 1024 ** 3),
  PLAYGROUND_EVENTS_FIRST_PAGE: wholeNumber(1, 2000, 100),
  PLAYGROUND_EVENT_STREAMS_PER_USER: wholeNumber(1, 1000, 8),
  PLAYGROUND_EVENT_STREAMS_TOTAL: wholeNumber(1, 100_000, 64),
  PLAYGROUND_EVENTS_MAX_BUFFERED_BYTES: wholeNumber(65_536, 1024 ** 3, 1024 ** 2),
  MAX_JOBS_PER_USER: wholeNumber(0, 1000, 2),
  MAX_TAKES: wholeNumber(1, takesCeiling, defaultMaxTakes),
  SHUTDOWN_GRACE_MS: wholeNumber(0, 600_000, 20_000),
  DAILY_SECONDS_PER_USER: optionalWholeNumber(1, 10_000_000),
  DAILY_SECONDS_PER_SPACE: optionalWholeNumber(1, 10_000_000),
  // Ceilings for every request and for what /settings may set (the model's own limits when unset).
  MAX_DURATION_SECONDS: optionalWholeNumber(4, 15),
  MAX_RESOLUTION: choice(resolutions),
  BLOCKED_PROMPT_PATTERNS: patternList(),
  ALLOWED_USERS: idList(),
  DENIED_USERS: idList(),
  ALLOWED_ROLES: idList(),
  DENIED_ROLES: idList(),
  ALLOWED_CHANNELS: idList(),
  DENIED_CHANNELS: idList(),
  // Bounds and access for hostile input (see the README's Security section).
  OUTBOUND_ALLOWED_HOSTS: hostList(),
  PROVIDER_MAX_RESPONSE_BYTES: wholeNumber(65_536, 1024 ** 3, 32 * 1024 ** 2),
  SLACK_EVENT_MAX_BYTES: wholeNumber(4096, 16 * 1024 ** 2, 1024 ** 2),
  SLACK_UNSIGNED_MAX_BYTES: wholeNumber(256, 65_536, 4096),
  SLACK_EVENT_BUFFER_BYTES: wholeNumber(65_536, 1024 ** 3, 16 * 1024 ** 2),
  METRICS_PORT: optionalWholeNumber(0, 65_535),
  METRICS_TOKEN: optionalText(16),
  METRICS_HOSTS: hostList(),
  LOG_MAX_LINE_BYTES: wholeNumber(1024, 1024 ** 2, 16_384),
  ...s3EnvironmentSchema.shape,
});

type Environment = z.infer<typeof environmentSchema>;
type Issue = [variable: string, message: string];

type ProviderKeys = {
  [name in "OXEN_API_KEY" | "AIHUBMAX_API_KEY" | "EVOLINK_API_KEY" | "FAL_KEY" | "ARK_API_KEY"]?:
    | string
    | undefined;
};

/** The chosen provider's key must be set; checked even when other variables are invalid. */
function providerKeyIssues(keys: ProviderKeys, provider: string | undefined): Issue[] {
  const issues: Issue[] = [];
  if (provider === "oxen" && !keys.OXEN_API_KEY) {
    issues.push([
      "OXEN_API_KEY",
      "is required when PROVIDER=oxen: create a key at https://www.oxen.ai (Settings → API keys), or set PROVIDER=simulator to try the bot for free",
    ]);
  }
  if (provider === "aihubmax" && !keys.AIHUBMAX_API_KEY) {
    issues.push([
      "AIHUBMAX_API_KEY",
      "is required when PROVIDER=aihubmax: create a key (sk-…) in the AIHubMax console at https://aihubmax.com, or set PROVIDER=simulator to try the bot for free",
    ]);
  }
  if (provider === "fal" && !keys.FAL_KEY) {
    issues.push([
      "FAL_KEY",
      "is required when PROVIDER=fal: create a key at https://fal.ai/dashboard/keys, or set PROVIDER=simulator to try the bot for free",
    ]);
  }
  if (provider === "byteplus" && !keys.ARK_API_KEY) {
    issues.push([
      "ARK_API_KEY",
      "is required when PROVIDER=byteplus: create a ModelArk API key in the BytePlus console (region ap-southeast) at https://console.byteplus.com/ark, or set PROVIDER=simulator to try the bot for free",
    ]);
  }
  if (provider === "evolink" && !keys.EVOLINK_API_KEY) {
    issues.push([
      "EVOLINK_API_KEY",
      "is required when PROVIDER=evolink: create a key in the EvoLink dashboard at https://evolink.ai, or set PROVIDER=simulator to try the bot for free",
    ]);
  }
  return issues;
}

function crossChecks(value: Environment, provider: string): Issue[] {
  const issues = providerKeyIssues(value, provider);
  issues.push(...mediaHostChecks(value, provider));
  issues.push(...s3Checks(value));
  if (value.LEASE_RENEW_MS >= value.LEASE_TTL_MS) {
    issues.push([
      "LEASE_RENEW_MS",
      `is ${value.LEASE_RENEW_MS}, not below LEASE_TTL_MS (${value.LEASE_TTL_MS}); a lease would lapse between renewals`,
    ]);
  }
  if (
    value.METRICS_PORT !== undefined &&
    value.METRICS_PORT !== 0 &&
    value.METRICS_PORT === value.PORT
  ) {
    issues.push([
      "METRICS_PORT",
      `is ${value.PORT}, the same as PORT; leave it unset to serve both on PORT`,
    ]);
  }
  if (value.SLACK_BOT_TOKEN && !value.SLACK_APP_TOKEN && !value.SLACK_SIGNING_SECRET) {
    issues.push([
      "SLACK_SIGNING_SECRET",
      "is required with SLACK_BOT_TOKEN unless SLACK_APP_TOKEN (Socket Mode) is set",
    ]);
  }
  issues.push(...slackOauthChecks(value));
  if (value.DISCORD_TOKEN && value.DISCORD_GATEWAY === false && !value.DISCORD_PUBLIC_KEY) {
    issues.push([
      "DISCORD_PUBLIC_KEY",
      "is required with DISCORD_GATEWAY=false: without the gateway, interactions can only come over HTTP",
    ]);
  }
  return issues;
}

/** OAuth (many workspaces) needs its three secrets and the HTTP receiver, and replaces the single token. */
function slackOauthChecks(value: Environment): Issue[] {
  if (!value.SLACK_CLIENT_ID) return [];
  const issues: Issue[] = [];
  const needed = [
    ["SLACK_CLIENT_SECRET", value.SLACK_CLIENT_SECRET],
    ["SLACK_STATE_SECRET", value.SLACK_STATE_SECRET],
    ["SLACK_SIGNING_SECRET", value.SLACK_SIGNING_SECRET],
  ] as const;
  for (const [name, given] of needed) {
    if (!given) issues.push([name, "is required with SLACK_CLIENT_ID (Slack OAuth)"]);
  }
  if (value.SLACK_BOT_TOKEN) {
    issues.push([
      "SLACK_BOT_TOKEN",
      "is set with SLACK_CLIENT_ID; choose one: a single workspace's token, or OAuth for many",
    ]);
  }
  if (value.SLACK_APP_TOKEN) {
    issues.push([
      "SLACK_APP_TOKEN",
      "is set with SLACK_CLIENT_ID; OAuth installs receive events over HTTP at /slack/events, not Socket Mode",
    ]);
  }
  return issues;
}

/** What each MEDIA_HOST choice needs; `auto` only needs a key when it would pick the Oxen repo. */
function mediaHostChecks(value: Environment, provider: string): Issue[] {
  const host = value.MEDIA_HOST ?? "auto";
  const issues: Issue[] = [];
  if (host === "oxen-repo" && !value.OXEN_MEDIA_REPO) {
    issues.push([
      "OXEN_MEDIA_REPO",
      "is required when MEDIA_HOST=oxen-repo: the namespace/name of a public Oxen repository the bot uploads Slack files to",
    ]);
  }
  const usesRepo = host === "oxen-repo" || (host === "auto" && value.OXEN_MEDIA_REPO);
  // PROVIDER=oxen without a key is already reported.
  if (usesRepo && !value.OXEN_API_KEY && provider !== "oxen") {
    issues.push([
      "OXEN_API_KEY",
      `is required with ${host === "auto" ? "OXEN_MEDIA_REPO" : "MEDIA_HOST=oxen-repo"}: the bot uploads files to the repository with it`,
    ]);
  }
  if (host === "provider" && !["aihubmax", "evolink", "fal"].includes(provider)) {
    issues.push([
      "MEDIA_HOST",
      `is provider, which needs PROVIDER=aihubmax, evolink or fal (their own file upload or storage; PROVIDER is ${provider}); with Oxen use MEDIA_HOST=oxen-repo and OXEN_MEDIA_REPO, or set PUBLIC_BASE_URL`,
    ]);
  }
  if (host === "server" && !value.PUBLIC_BASE_URL && provider !== "simulator") {
    issues.push([
      "PUBLIC_BASE_URL",
      "is required when MEDIA_HOST=server: the address where the provider reaches this bot, such as https://bot.example.com",
    ]);
  }
  return issues;
}

/** Without PROVIDER: the provider whose key is set (Oxen first), else the simulator. */
function providerFromKeys(value: Environment, warnings: string[]): (typeof providers)[number] {
  const keyed = (
    [
      ["oxen", value.OXEN_API_KEY],
      ["aihubmax", value.AIHUBMAX_API_KEY],
      ["evolink", value.EVOLINK_API_KEY],
      ["fal", value.FAL_KEY],
      ["byteplus", value.ARK_API_KEY],
    ] as const
  ).flatMap(([name, key]) => (key ? [name] : []));
  const [first] = keyed;
  if (!first) return "simulator";
  if (keyed.length > 1) {
    warnings.push(
      `PROVIDER is not set and keys for ${keyed.join(", ")} are; using ${first}. Set PROVIDER to choose.`,
    );
  }
  return first;
}

function playgroundSettings(value: Environment, host: string) {
  const platforms = Boolean(value.DISCORD_TOKEN || value.SLACK_BOT_TOKEN || value.SLACK_CLIENT_ID);
  const wanted = value.PLAYGROUND ?? !platforms;
  if (!wanted) return { settings: undefined, issue: undefined };
  // Wanted without a token on an exposed host: it would stay off, and the bot would serve nothing.
  if (!loopbackHosts.has(host) && !value.PLAYGROUND_TOKEN) {
    const variable = value.PLAYGROUND_HOST ? "PLAYGROUND_HOST" : "HOST";
    const message = `is required when the playground is reachable beyond this machine (${variable}=${host}); set one of 16+ characters, or set ${variable}=127.0.0.1`;
    return { settings: undefined, issue: ["PLAYGROUND_TOKEN", message] as Issue };
  }
  // Behind a tunnel or a reverse proxy every visitor arrives from loopback: only a token tells them apart.
  const publicHost = value.PUBLIC_BASE_URL ? new URL(value.PUBLIC_BASE_URL).hostname : undefined;
  if (
    publicHost &&
    !loopbackHosts.has(publicHost.replace(/^\[|\]$/g, "")) &&
    !value.PLAYGROUND_TOKEN
  ) {
    const message = `is required when PUBLIC_BASE_URL is set (${value.PUBLIC_BASE_URL}): whoever reaches that address could use the playground and spend the provider key; set one of 16+ characters, or set PLAYGROUND=false`;
    return { settings: undefined, issue: ["PLAYGROUND_TOKEN", message] as Issue };
  }
  return {
    settings: {
      token: value.PLAYGROUND_TOKEN,
      sessionTtlMs: value.PLAYGROUND_SESSION_TTL_MS,
      tokenAttempts: value.PLAYGROUND_TOKEN_ATTEMPTS,
      uploads: {
        maxBytes: value.PLAYGROUND_UPLOAD_MAX_BYTES,
        concurrentPerUser: value.PLAYGROUND_UPLOADS_PER_USER,
        concurrentTotal: value.PLAYGROUND_UPLOADS_TOTAL,
        quotaBytes: value.PLAYGROUND_UPLOAD_QUOTA_BYTES,
      },
      events: {
        firstPageEntries: value.PLAYGROUND_EVENTS_FIRST_PAGE,
        streamsPerUser: value.PLAYGROUND_EVENT_STREAMS_PER_USER,
        streamsTotal: value.PLAYGROUND_EVENT_STREAMS_TOTAL,
        maxBufferedBytes: value.PLAYGROUND_EVENTS_MAX_BUFFERED_BYTES,
      },
    },
    issue: undefined,
  };
}

/** One issue on one line; several on a line each. */
function configurationError(lines: string[]): ConfigError {
  if (lines.length === 1) return new ConfigError(`Invalid configuration: ${lines[0]}`);
  return new ConfigError(`Invalid configuration:\n${lines.map((line) => `  ${line}`).join("\n")}`);
}

export function parseEnvironment(environment: Record<string, string | undefined>) {
  const result = environmentSchema.safeParse(environment);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    const given = (name: keyof ProviderKeys) => environment[name]?.trim() || undefined;
    const missing = providerKeyIssues(
      {
        OXEN_API_KEY: given("OXEN_API_KEY"),
        AIHUBMAX_API_KEY: given("AIHUBMAX_API_KEY"),
        EVOLINK_API_KEY: given("EVOLINK_API_KEY"),
        FAL_KEY: given("FAL_KEY"),
        ARK_API_KEY: given("ARK_API_KEY"),
      },
      environment.PROVIDER?.trim().toLowerCase(),
    ).map(([name, message]) => `${name} ${message}`);
    throw configurationError([...lines, ...missing]);
  }
  const value = result.data;
  const warnings: string[] = [];
  const provider = value.PROVIDER ?? providerFromKeys(value, warnings);
  if (value.SLACK_CLIENT_ID && value.DATABASE_URL && !value.SLACK_TOKEN_KEY) {
    warnings.push(
      "SLACK_TOKEN_KEY is not set: Slack tokens in PostgreSQL are sealed with this instance's DATA_DIR/slack-token.key, which other instances cannot read; set the same SLACK_TOKEN_KEY on every instance.",
    );
  }
  const playgroundWanted =
    value.PLAYGROUND ?? !(value.DISCORD_TOKEN || value.SLACK_BOT_TOKEN || value.SLACK_CLIENT_ID);
  const host = value.PLAYGROUND_HOST ?? value.HOST ?? (playgroundWanted ? "127.0.0.1" : "0.0.0.0");
  const playground = playgroundSettings(value, host);
  const issues = [...crossChecks(value, provider), ...(playground.issue ? [playground.issue] : [])];
  if (issues.length > 0) {
    throw configurationError(issues.map(([name, message]) => `${name} ${message}`));
  }
  return {
    provider,
    limits: { maxJobsPerUser: value.MAX_JOBS_PER_USER, maxTakes: value.MAX_TAKES },
    shutdownGraceMs: value.SHUTDOWN_GRACE_MS,
    ceilings: { maxDuration: value.MAX_DURATION_SECONDS, maxResolution: value.MAX_RESOLUTION },
    policy: {
      blockedPromptPatterns: value.BLOCKED_PROMPT_PATTERNS,
      dailySecondsPerUser: value.DAILY_SECONDS_PER_USER,
      dailySecondsPerSpace: value.DAILY_SECONDS_PER_SPACE,
      access: {
        allowedUsers: value.ALLOWED_USERS,
        deniedUsers: value.DENIED_USERS,
        allowedRoles: value.ALLOWED_ROLES,
        deniedRoles: value.DENIED_ROLES,
        allowedChannels: value.ALLOWED_CHANNELS,
        deniedChannels: value.DENIED_CHANNELS,
      },
    },
    oxen: {
      apiKey: value.OXEN_API_KEY ?? "",
      baseUrl: value.OXEN_BASE_URL ?? "https://hub.oxen.ai",
    },
    aihubmax: {
      apiKey: value.AIHUBMAX_API_KEY ?? "",
      baseUrl: value.AIHUBMAX_BASE_URL ?? "https://api.aihubmax.com",
    },
    evolink: {
      apiKey: value.EVOLINK_API_KEY ?? "",
      baseUrl: value.EVOLINK_BASE_URL ?? "https://api.evolink.ai",
      filesBaseUrl: value.EVOLINK_FILES_BASE_URL ?? "https://files-api.evolink.ai",
    },
    fal: {
      apiKey: value.FAL_KEY ?? "",
      queueUrl: value.FAL_QUEUE_URL ?? "https://queue.fal.run",
      storageUrl: value.FAL_STORAGE_URL ?? "https://rest.alpha.fal.ai",
    },
    byteplus: {
      apiKey: value.ARK_API_KEY ?? "",
      baseUrl: value.ARK_BASE_URL ?? "https://ark.ap-southeast.bytepluses.com/api/v3",
      serviceTier: value.ARK_SERVICE_TIER ?? "default",
    },
    simulator: { delayMs: value.SIMULATOR_DELAY_MS, failureRate: value.SIMULATOR_FAILURE_RATE },
    dataDirectory: value.DATA_DIR ?? "./data",
    /** PostgreSQL, shared by every instance; undefined: the embedded SQLite files in the data directory. */
    database: value.DATABASE_URL
      ? { url: value.DATABASE_URL, poolSize: value.DATABASE_POOL_SIZE }
      : undefined,
    /** S3_BUCKET: uploaded inputs (and, with DATABASE_URL, videos) in an S3-compatible bucket. */
    s3: s3Settings(value),
    /** Who this instance is and how instances sharing DATABASE_URL take turns (unused without it). */
    instance: {
      id: value.INSTANCE_ID,
      leases: {
        ttlMs: value.LEASE_TTL_MS,
        renewMs: value.LEASE_RENEW_MS,
        retryMs: value.LEASE_RETRY_MS,
      },
      workScanIntervalMs: value.WORK_SCAN_INTERVAL_MS,
    },
    http: { port: value.PORT, host },
    publicBaseUrl: value.PUBLIC_BASE_URL,
    logLevel: value.LOG_LEVEL ?? "info",
    mediaSigningSecret: value.MEDIA_SIGNING_SECRET,
    media: {
      host: value.MEDIA_HOST ?? "auto",
      oxenRepo: value.OXEN_MEDIA_REPO,
      oxenBranch: value.OXEN_MEDIA_BRANCH ?? "main",
    },
    timing: {
      sseIdleTimeoutMs: value.SSE_IDLE_TIMEOUT_MS,
      sweepIntervalMs: value.SWEEP_INTERVAL_MS,
      jobTimeoutMs: value.JOB_TIMEOUT_MS,
    },
    delivery: { maxVideoBytes: value.MAX_VIDEO_BYTES, maxAttempts: value.DELIVERY_MAX_ATTEMPTS },
    discord: value.DISCORD_TOKEN
      ? {
          token: value.DISCORD_TOKEN,
          guildId: value.DISCORD_GUILD_ID,
          messageContent: value.DISCORD_MESSAGE_CONTENT ?? false,
          apiUrl: value.DISCORD_API_URL ?? "https://discord.com/api",
          shardCount: value.DISCORD_SHARD_COUNT,
          publicKey: value.DISCORD_PUBLIC_KEY,
          gateway: value.DISCORD_GATEWAY ?? true,
        }
      : undefined,
    slack:
      value.SLACK_BOT_TOKEN || value.SLACK_CLIENT_ID
        ? {
            /** One workspace's token; undefined with OAuth, where each installation brings its own. */
            botToken: value.SLACK_BOT_TOKEN,
            oauth: value.SLACK_CLIENT_ID
              ? {
                  clientId: value.SLACK_CLIENT_ID,
                  clientSecret: value.SLACK_CLIENT_SECRET ?? "",
                  stateSecret: value.SLACK_STATE_SECRET ?? "",
                  authorizeUrl:
                    value.SLACK_OAUTH_AUTHORIZE_URL ?? "https://slack.com/oauth/v2/authorize",
                  tokenKey: value.SLACK_TOKEN_KEY,
                }
              : undefined,
            appToken: value.SLACK_APP_TOKEN,
            signingSecret: value.SLACK_SIGNING_SECRET,
            apiUrl: `${value.SLACK_API_URL ?? "https://slack.com/api"}/`,
            bodyLimits: {
              signedBytes: value.SLACK_EVENT_MAX_BYTES,
              unsignedBytes: value.SLACK_UNSIGNED_MAX_BYTES,
              heldBytes: value.SLACK_EVENT_BUFFER_BYTES,
            },
          }
        : undefined,
    playground: playground.settings,
    outbound: {
      allowedHosts: value.OUTBOUND_ALLOWED_HOSTS,
      maxResponseBytes: value.PROVIDER_MAX_RESPONSE_BYTES,
    },
    /** Who may read /metrics and /readyz, and where they are served. */
    operations: {
      port: value.METRICS_PORT,
      token: value.METRICS_TOKEN,
      hosts: value.METRICS_HOSTS,
    },
    logMaxLineBytes: value.LOG_MAX_LINE_BYTES,
    /** Things worth telling the operator at start-up that do not stop the bot. */
    warnings,
  };
}

export type Config = ReturnType<typeof parseEnvironment>;

/** Reads the configuration once, at start-up; everything else receives the result. */
export function loadConfig(environment: Record<string, string | undefined> = process.env): Config {
  return parseEnvironment(environment);
}
