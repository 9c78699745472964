import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createSilentLogger } from "../../src/logger.ts";
import {
  type ConfiguredMediaHost,
  chooseMediaHost,
  type MediaHost,
  mediaHostFromConfig,
} from "../../src/media/index.ts";
import { startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { startFakeUnifiedTaskServer } from "../fakes/fake-unified-task-server.ts";

const oxen = { OXEN_API_KEY: "o-key" };
const aihubmax = { PROVIDER: "aihubmax", AIHUBMAX_API_KEY: "sk-a" };
const evolink = { PROVIDER: "evolink", EVOLINK_API_KEY: "e-key" };
// The playground is on (no chat platform), so a public address needs its token.
const publicUrl = {
  PUBLIC_BASE_URL: "https://bot.example.com",
  PLAYGROUND_TOKEN: "a-long-enough-token",
};
const repo = { OXEN_MEDIA_REPO: "team/uploads" };
const fal = { PROVIDER: "fal", FAL_KEY: "fal-id:secret" };

describe("choosing the media host", () => {
  it.each<[string, Record<string, string>, string, boolean]>([
    [
      "auto, PUBLIC_BASE_URL set: the bot's server",
      { ...oxen, ...publicUrl, ...repo },
      "server",
      true,
    ],
    ["auto, OXEN_MEDIA_REPO set: the Oxen repo", { ...oxen, ...repo }, "oxen-repo", true],
    ["auto, Oxen repo with another provider", { ...aihubmax, ...oxen, ...repo }, "oxen-repo", true],
    ["auto, AIHubMax: its own upload", aihubmax, "provider", true],
    ["auto, EvoLink: its own upload", evolink, "provider", true],
    ["auto, simulator: the local server", {}, "server", true],
    ["auto, Oxen and nothing else: none", oxen, "none", false],
    ["explicit server", { ...oxen, ...publicUrl, MEDIA_HOST: "server" }, "server", true],
    ["explicit server, simulator, no URL", { MEDIA_HOST: "server" }, "server", true],
    [
      "explicit oxen-repo over PUBLIC_BASE_URL",
      { ...oxen, ...publicUrl, ...repo, MEDIA_HOST: "oxen-repo" },
      "oxen-repo",
      true,
    ],
    [
      "explicit provider over PUBLIC_BASE_URL",
      { ...evolink, ...publicUrl, MEDIA_HOST: "provider" },
      "provider",
      true,
    ],
    ["explicit data-uri", { ...oxen, MEDIA_HOST: "Data-URI" }, "data-uri", true],
    [
      "explicit provider with fal: its storage",
      { ...fal, MEDIA_HOST: "provider" },
      "provider",
      true,
    ],
    ["auto, fal and nothing else: its storage", fal, "provider", true],
    [
      "auto, fal with an https PUBLIC_BASE_URL: the bot's server",
      { ...fal, ...publicUrl },
      "server",
      true,
    ],
    [
      "auto, fal with a plain-http PUBLIC_BASE_URL: its storage",
      { ...fal, ...publicUrl, PUBLIC_BASE_URL: "http://bot.example.com:8080" },
      "provider",
      true,
    ],
    [
      "auto, fal with OXEN_MEDIA_REPO: the Oxen repo",
      { ...fal, ...oxen, ...repo },
      "oxen-repo",
      true,
    ],
  ])("%s", (_name, environment, kind, usableBySlack) => {
    const choice = chooseMediaHost(loadConfig(environment));
    expect(choice).toMatchObject({ kind, usableBySlack });
    expect(choice.description).not.toContain("o-key");
  });

  it("tells the operator what to set when nothing fits", () => {
    expect(chooseMediaHost(loadConfig(oxen)).description).toMatch(
      /PUBLIC_BASE_URL, OXEN_MEDIA_REPO or MEDIA_HOST/,
    );
  });
});

describe("building the media host", () => {
  let directory: string;
  let configured: ConfiguredMediaHost | undefined;
  const serverHost: MediaHost = {
    publish: async () => ({
      url: "https://bot.example.com/media/x",
      expiresAt: 0,
      release: async () => undefined,
    }),
    resolveLocalPath: () => undefined,
  };
  const source = { bytes: Buffer.from("pixels"), contentType: "image/png", fileName: "p.png" };

  function build(environment: Record<string, string>) {
    configured = mediaHostFromConfig({
      config: loadConfig(environment),
      serverHost,
      dataDirectory: directory,
      logger: createSilentLogger(),
    });
    return configured;
  }

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "media-config-"));
  });

  afterEach(async () => {
    await configured?.stop();
    configured = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  it("hands Slack the server host itself, or nothing when no host fits", () => {
    expect(build({ ...oxen, ...publicUrl }).slackMediaHost).toBe(serverHost);
    expect(build(oxen)).toMatchObject({ kind: "none", slackMediaHost: undefined });
  });

  it("publishes to the configured Oxen repository and sweeps it after a restart", async () => {
    const fake = await startFakeOxenServer({ repos: [{ name: "team/uploads", public: true }] });
    try {
      const environment = { OXEN_API_KEY: fake.apiKey, OXEN_BASE_URL: fake.baseUrl, ...repo };
      const host = build(environment);
      await host.start();
      const published = await host.slackMediaHost?.publish(source, { ttlMs: 60_000 });
      expect(published?.url).toMatch(/\/api\/repos\/team\/uploads\/file\/main\/seedance-bot\//);
      const response = await request(published?.url ?? "");
      expect(Buffer.from(await response.body.arrayBuffer()).toString()).toBe("pixels");
      await published?.release();
      expect(fake.repoFiles.size).toBe(0);
    } finally {
      await configured?.stop();
      configured = undefined;
      await fake.close();
    }
  });

  it("publishes through EvoLink's files API at EVOLINK_FILES_BASE_URL with the EvoLink key", async () => {
    const fake = await startFakeUnifiedTaskServer({ dialect: "evolink" });
    try {
      const host = build({
        PROVIDER: "evolink",
        EVOLINK_API_KEY: fake.apiKey,
        EVOLINK_FILES_BASE_URL: fake.baseUrl,
      });
      const published = await host.slackMediaHost?.publish(source, { ttlMs: 60_000 });
      const response = await request(published?.url ?? "");
      expect(Buffer.from(await response.body.arrayBuffer()).toString()).toBe("pixels");
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    } finally {
      await configured?.stop();
      configured = undefined;
      await fake.close();
    }
  });

  it("inlines with MEDIA_HOST=data-uri", async () => {
    const published = await build({ ...oxen, MEDIA_HOST: "data-uri" }).slackMediaHost?.publish(
      source,
      { ttlMs: 60_000 },
    );
    expect(published?.url).toBe(
      `data:image/png;base64,${Buffer.from("pixels").toString("base64")}`,
    );
  });
});
