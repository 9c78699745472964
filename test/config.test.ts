import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { ConfigError } from "../src/errors.ts";

function configError(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("config", () => {
  it("with nothing set: the simulator and the playground on loopback", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      provider: "simulator",
      simulator: { delayMs: 4000, failureRate: 0 },
      dataDirectory: "./data",
      http: { port: 3000, host: "127.0.0.1" },
      logLevel: "info",
      playground: { token: undefined },
      timing: { sseIdleTimeoutMs: 45_000, sweepIntervalMs: 60_000 },
    });
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
  });

  it("with an Oxen key: the Oxen provider and its defaults", () => {
    const config = loadConfig({ OXEN_API_KEY: "key" });
    expect(config).toMatchObject({
      provider: "oxen",
      oxen: { apiKey: "key", baseUrl: "https://hub.oxen.ai" },
    });
  });

  it("names every bad variable and what it should be, in one message", () => {
    const message = configError({
      PORT: "eighty",
      OXEN_BASE_URL: "ftp://x",
      LOG_LEVEL: "loud",
      PROVIDER: "other",
    });
    expect(message).toContain('PORT must be a whole number from 0 to 65535 (got "eighty")');
    expect(message).toContain("OXEN_BASE_URL must be an http(s) URL");
    expect(message).toContain(
      "LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent",
    );
    expect(message).toContain("PROVIDER must be one of: oxen, simulator");
  });

  it("requires OXEN_API_KEY when PROVIDER=oxen and says where to get one", () => {
    expect(configError({ PROVIDER: "oxen" })).toMatch(
      /OXEN_API_KEY is required when PROVIDER=oxen: create a key/,
    );
  });

  it("enables a platform when its token is set, and then turns the playground off", () => {
    const config = loadConfig({
      OXEN_API_KEY: "k",
      DISCORD_TOKEN: "discord-token",
      DISCORD_MESSAGE_CONTENT: "yes",
    });
    expect(config.discord).toEqual({
      token: "discord-token",
      guildId: undefined,
      messageContent: true,
      apiUrl: "https://discord.com/api",
      publicKey: undefined,
      gateway: true,
    });
    expect(config.playground).toBeUndefined();
    expect(config.http.host).toBe("0.0.0.0");
  });

  it("Discord interactions over HTTP: a 64-hex public key, and one is needed without the gateway", () => {
    const publicKey = "ab".repeat(32);
    const config = loadConfig({
      OXEN_API_KEY: "k",
      DISCORD_TOKEN: "discord-token",
      DISCORD_PUBLIC_KEY: publicKey,
      DISCORD_GATEWAY: "false",
    });
    expect(config.discord).toMatchObject({ publicKey, gateway: false });
    expect(configError({ DISCORD_TOKEN: "t", DISCORD_PUBLIC_KEY: "abc" })).toContain(
      "DISCORD_PUBLIC_KEY",
    );
    expect(configError({ DISCORD_TOKEN: "t", DISCORD_GATEWAY: "false" })).toContain(
      "DISCORD_PUBLIC_KEY is required with DISCORD_GATEWAY=false",
    );
  });

  it("Slack OAuth: many workspaces with the client id, secret, state secret and signing secret, instead of one token", () => {
    const oauth = {
      SLACK_CLIENT_ID: "111.222",
      SLACK_CLIENT_SECRET: "client-secret",
      SLACK_STATE_SECRET: "a-state-secret-16+",
      SLACK_SIGNING_SECRET: "signing",
    };
    const config = loadConfig(oauth);
    expect(config.slack).toMatchObject({
      botToken: undefined,
      oauth: {
        clientId: "111.222",
        authorizeUrl: "https://slack.com/oauth/v2/authorize",
        tokenKey: undefined,
      },
    });
    expect(config.playground).toBeUndefined();
    const missing = configError({ SLACK_CLIENT_ID: "111.222" });
    for (const name of ["SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET", "SLACK_SIGNING_SECRET"]) {
      expect(missing).toContain(`${name} is required with SLACK_CLIENT_ID`);
    }
    expect(configError({ ...oauth, SLACK_BOT_TOKEN: "xoxb-1" })).toContain("choose one");
    expect(configError({ ...oauth, SLACK_APP_TOKEN: "xapp-1" })).toContain("not Socket Mode");
    const wrongKey = configError({ ...oauth, SLACK_TOKEN_KEY: "not-a-key-but-secret" });
    expect(wrongKey).toContain("SLACK_TOKEN_KEY must be 32 bytes");
    expect(wrongKey).not.toContain("not-a-key-but-secret");
    const key = "ab".repeat(32);
    expect(loadConfig({ ...oauth, SLACK_TOKEN_KEY: key }).slack?.oauth?.tokenKey).toBe(key);
    expect(
      loadConfig({ ...oauth, DATABASE_URL: "postgres://u:p@db/bot" }).warnings.join("\n"),
    ).toContain("SLACK_TOKEN_KEY is not set");
  });

  it("needs a Slack signing secret unless Socket Mode is configured", () => {
    expect(configError({ SLACK_BOT_TOKEN: "xoxb-1" })).toContain(
      "SLACK_SIGNING_SECRET is required with SLACK_BOT_TOKEN",
    );
    expect(configError({ SLACK_BOT_TOKEN: "xoxp-1" })).toContain(
      'SLACK_BOT_TOKEN must be a bot token starting with "xoxb-"',
    );
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }).slack?.apiUrl).toBe(
      "https://slack.com/api/",
    );
  });

  it("keeps an exposed playground behind a token, and never runs serving nothing", () => {
    // Nothing else configured: without the playground the bot would serve nothing, so it stops.
    expect(configError({ HOST: "0.0.0.0" })).toBe(
      "Invalid configuration: PLAYGROUND_TOKEN is required when the playground is reachable beyond this machine (HOST=0.0.0.0); set one of 16+ characters, or set HOST=127.0.0.1",
    );
    expect(configError({ HOST: "0.0.0.0", PLAYGROUND: "true" })).toContain(
      "PLAYGROUND_TOKEN is required",
    );
    expect(configError({ PLAYGROUND_HOST: "0.0.0.0" })).toContain("set PLAYGROUND_HOST=127.0.0.1");
    // With a chat platform the playground is not wanted, so an exposed HOST needs no token.
    const withSlack = loadConfig({
      HOST: "0.0.0.0",
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
    });
    expect(withSlack.playground).toBeUndefined();
    expect(withSlack.warnings).toEqual([]);
    expect(
      loadConfig({ HOST: "0.0.0.0", PLAYGROUND_TOKEN: "a-long-enough-token" }).playground,
    ).toMatchObject({
      token: "a-long-enough-token",
    });
  });

  it("treats empty variables as unset and trims trailing slashes from URLs", () => {
    const config = loadConfig({
      OXEN_API_KEY: "k",
      PORT: "",
      OXEN_BASE_URL: "http://127.0.0.1:9/",
      PUBLIC_BASE_URL: "",
    });
    expect(config.http.port).toBe(3000);
    expect(config.oxen.baseUrl).toBe("http://127.0.0.1:9");
    expect(config.publicBaseUrl).toBeUndefined();
  });

  it("selects AIHubMax or EvoLink by PROVIDER, with their default API roots", () => {
    expect(loadConfig({ PROVIDER: "aihubmax", AIHUBMAX_API_KEY: "sk-a" })).toMatchObject({
      provider: "aihubmax",
      aihubmax: { apiKey: "sk-a", baseUrl: "https://api.aihubmax.com" },
    });
    expect(
      loadConfig({
        PROVIDER: "EvoLink",
        EVOLINK_API_KEY: "e-key",
        EVOLINK_BASE_URL: "http://127.0.0.1:9/",
      }),
    ).toMatchObject({
      provider: "evolink",
      evolink: { apiKey: "e-key", baseUrl: "http://127.0.0.1:9" },
    });
  });

  it("requires each provider's key when it is chosen and says where to get one", () => {
    expect(configError({ PROVIDER: "aihubmax" })).toMatch(
      /AIHUBMAX_API_KEY is required when PROVIDER=aihubmax: create a key/,
    );
    expect(configError({ PROVIDER: "evolink", AIHUBMAX_API_KEY: "sk-a" })).toMatch(
      /EVOLINK_API_KEY is required when PROVIDER=evolink: create a key/,
    );
  });

  it("refuses an API root ending in /v1 (every call would be a 404)", () => {
    expect(
      configError({
        PROVIDER: "aihubmax",
        AIHUBMAX_API_KEY: "k",
        AIHUBMAX_BASE_URL: "https://api.aihubmax.com/v1",
      }),
    ).toContain("AIHUBMAX_BASE_URL must be the API root without /v1");
  });

  it("without PROVIDER, uses the provider whose key is set and warns when several are", () => {
    expect(loadConfig({ EVOLINK_API_KEY: "e" }).provider).toBe("evolink");
    const both = loadConfig({ AIHUBMAX_API_KEY: "a", EVOLINK_API_KEY: "e" });
    expect(both.provider).toBe("aihubmax");
    expect(both.warnings).toContain(
      "PROVIDER is not set and keys for aihubmax, evolink are; using aihubmax. Set PROVIDER to choose.",
    );
    expect(loadConfig({ OXEN_API_KEY: "o", AIHUBMAX_API_KEY: "a" }).provider).toBe("oxen");
  });

  it("reads the media host settings, with auto and the main branch by default", () => {
    expect(loadConfig({}).media).toEqual({ host: "auto", oxenRepo: undefined, oxenBranch: "main" });
    expect(
      loadConfig({
        OXEN_API_KEY: "k",
        MEDIA_HOST: "Oxen-Repo",
        OXEN_MEDIA_REPO: " team/bot-uploads ",
        OXEN_MEDIA_BRANCH: "uploads",
      }).media,
    ).toEqual({ host: "oxen-repo", oxenRepo: "team/bot-uploads", oxenBranch: "uploads" });
    expect(loadConfig({ EVOLINK_API_KEY: "e" }).evolink.filesBaseUrl).toBe(
      "https://files-api.evolink.ai",
    );
  });

  it("names the bad media host variables and what they should be", () => {
    const message = configError({
      MEDIA_HOST: "s3",
      OXEN_MEDIA_REPO: "just-a-name",
      OXEN_MEDIA_BRANCH: "feature/x",
    });
    expect(message).toContain(
      "MEDIA_HOST must be one of: auto, server, oxen-repo, provider, data-uri",
    );
    expect(message).toContain(
      'OXEN_MEDIA_REPO must be an Oxen repository as namespace/name, such as my-team/bot-uploads (got "just-a-name")',
    );
    expect(message).toContain("OXEN_MEDIA_BRANCH must be a branch name");
  });

  it("says what each media host needs", () => {
    expect(configError({ OXEN_API_KEY: "k", MEDIA_HOST: "oxen-repo" })).toContain(
      "OXEN_MEDIA_REPO is required when MEDIA_HOST=oxen-repo",
    );
    expect(
      configError({
        ...{ PROVIDER: "evolink", EVOLINK_API_KEY: "e" },
        MEDIA_HOST: "oxen-repo",
        OXEN_MEDIA_REPO: "a/b",
      }),
    ).toContain("OXEN_API_KEY is required with MEDIA_HOST=oxen-repo");
    expect(configError({ EVOLINK_API_KEY: "e", OXEN_MEDIA_REPO: "a/b" })).toContain(
      "OXEN_API_KEY is required with OXEN_MEDIA_REPO",
    );
    expect(configError({ OXEN_API_KEY: "k", MEDIA_HOST: "provider" })).toContain(
      "MEDIA_HOST is provider, which needs PROVIDER=aihubmax, evolink or fal",
    );
    expect(configError({ OXEN_API_KEY: "k", MEDIA_HOST: "server" })).toContain(
      "PUBLIC_BASE_URL is required when MEDIA_HOST=server",
    );
    // The simulator reads its inputs from disk, so its server needs no public address.
    expect(loadConfig({ MEDIA_HOST: "server" }).media.host).toBe("server");
    // A missing Oxen key is reported once, for the provider.
    const message = configError({ PROVIDER: "oxen", OXEN_MEDIA_REPO: "a/b" });
    expect(message.match(/OXEN_API_KEY/g)).toHaveLength(1);
  });

  it("reads spend and access controls: limits, budgets, id lists and prompt patterns", () => {
    const config = loadConfig({
      MAX_JOBS_PER_USER: "3",
      MAX_TAKES: "3",
      DAILY_SECONDS_PER_USER: "120",
      ALLOWED_CHANNELS: "discord:123, 456  C789",
      BLOCKED_PROMPT_PATTERNS: "gore\nsp[a4]m",
    });
    expect(config.limits.maxJobsPerUser).toBe(3);
    expect(config.limits.maxTakes).toBe(3);
    expect(loadConfig({}).limits.maxTakes).toBe(4);
    expect(configError({ MAX_TAKES: "11" })).toBe(
      'Invalid configuration: MAX_TAKES must be a whole number from 1 to 10 (got "11")',
    );
    expect(config.policy).toMatchObject({
      dailySecondsPerUser: 120,
      dailySecondsPerSpace: undefined,
      blockedPromptPatterns: ["gore", "sp[a4]m"],
      access: { allowedChannels: ["discord:123", "456", "C789"], deniedUsers: [] },
    });
    expect(
      loadConfig({ BLOCKED_PROMPT_PATTERNS: '["a+", "b"]' }).policy.blockedPromptPatterns,
    ).toEqual(["a+", "b"]);
    expect(configError({ BLOCKED_PROMPT_PATTERNS: "ok\n(unclosed" })).toContain(
      'BLOCKED_PROMPT_PATTERNS has a pattern that is not a valid regular expression: "(unclosed"',
    );
    expect(configError({ DAILY_SECONDS_PER_SPACE: "-4" })).toContain(
      "DAILY_SECONDS_PER_SPACE must be a whole number",
    );
  });
});

describe("documentation", () => {
  it("documents every environment variable in the README", async () => {
    const { readFile } = await import("node:fs/promises");
    const { environmentSchema } = await import("../src/config.ts");
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const undocumented = Object.keys(environmentSchema.shape).filter(
      (name) => !readme.includes(`\`${name}\``),
    );
    expect(undocumented).toEqual([]);
  });
});
