import { join } from "node:path";
import type { Dispatcher } from "undici";
import type { Config } from "../config.ts";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { createFalStorageMediaHost } from "../providers/fal/fal-storage-media-host.ts";
import { createDataUriMediaHost } from "./data-uri-media-host.ts";
import type { MediaHost } from "./media-host.ts";
import { createOxenRepoMediaHost } from "./oxen-repo-media-host.ts";
import { createProviderUploadMediaHost } from "./provider-upload-media-host.ts";

export type MediaHostKind = "server" | "oxen-repo" | "provider" | "data-uri" | "none";

export interface MediaHostChoice {
  kind: MediaHostKind;
  /** Whether Slack's private files can reach the provider through it. */
  usableBySlack: boolean;
  /** One line for the start-up log (no secrets). */
  description: string;
}

export type MediaHostSettings = Pick<Config, "provider" | "publicBaseUrl" | "media">;

const descriptions: Readonly<Record<MediaHostKind, string>> = {
  server: "the bot's own server at PUBLIC_BASE_URL, under signed links that expire within an hour",
  "oxen-repo":
    "the public Oxen repository OXEN_MEDIA_REPO (files leave the branch within an hour but stay in its history)",
  provider: "the provider's own file upload (files live 72 hours)",
  "data-uri": "inline data URIs (experimental)",
  none: "nowhere: Slack files are refused until PUBLIC_BASE_URL, OXEN_MEDIA_REPO or MEDIA_HOST is set",
};

const falStorageDescription =
  "fal.ai's own file storage (FAL_STORAGE_URL; fal publishes no lifetime, the bot counts on a week)";

/**
 * Which host publishes the inputs the provider must fetch (Slack's private files, playground
 * uploads). `auto` picks the bot's own server when PUBLIC_BASE_URL is set (for fal: when it is
 * https), else the Oxen repo when OXEN_MEDIA_REPO is set, else the provider's own upload or
 * storage (AIHubMax, EvoLink, fal), else the local server for the simulator (which reads the
 * files from disk), else none. Data URIs are only used when asked for.
 */
export function chooseMediaHost(settings: MediaHostSettings): MediaHostChoice {
  const { provider, publicBaseUrl, media } = settings;
  const fal = provider === "fal";
  // fal fetches inputs from the internet; without an https address its own storage is the sure way.
  const serverReachable = fal ? publicBaseUrl?.startsWith("https://") === true : !!publicBaseUrl;
  const uploads = provider === "aihubmax" || provider === "evolink" || fal;
  const kind: MediaHostKind =
    media.host !== "auto"
      ? media.host
      : serverReachable
        ? "server"
        : media.oxenRepo
          ? "oxen-repo"
          : uploads
            ? "provider"
            : provider === "simulator"
              ? "server"
              : "none";
  if (kind === "provider" && fal) {
    return { kind, usableBySlack: true, description: falStorageDescription };
  }
  if (kind === "server" && !publicBaseUrl) {
    // Only the simulator gets here (config requires PUBLIC_BASE_URL otherwise).
    const usableBySlack = provider === "simulator";
    return {
      kind,
      usableBySlack,
      description: usableBySlack
        ? "the bot's own server (the simulator reads the files locally; no PUBLIC_BASE_URL needed)"
        : descriptions.none,
    };
  }
  return { kind, usableBySlack: kind !== "none", description: descriptions[kind] };
}

export interface MediaHostWiring {
  config: Config;
  /** The bot's own HTTP media host, built anyway for the playground's uploads and previews. */
  serverHost: MediaHost;
  /** Absolute DATA_DIR. */
  dataDirectory: string;
  logger: Logger;
  /** An undici Agent from this package's undici (never Node's global one: see multipart-request.ts). */
  dispatcher?: Dispatcher;
}

export interface ConfiguredMediaHost extends MediaHostChoice {
  /** The host for Slack's private files; undefined when none is usable (Slack then says what to set). */
  slackMediaHost: MediaHost | undefined;
  /**
   * Starts the chosen host's upkeep (the Oxen repo's sweep of expired copies; resolves after the
   * first sweep and never rejects). The server host is started apart.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the host `chooseMediaHost` picks; the server host is passed in, not built here. */
export function mediaHostFromConfig(wiring: MediaHostWiring): ConfiguredMediaHost {
  const { config, logger } = wiring;
  const choice = chooseMediaHost(config);
  const dispatcher = wiring.dispatcher ? { dispatcher: wiring.dispatcher } : {};
  const idle = async (): Promise<void> => undefined;
  const built = (host: MediaHost | undefined, start = idle, stop = idle): ConfiguredMediaHost => ({
    ...choice,
    slackMediaHost: choice.usableBySlack ? host : undefined,
    start,
    stop,
  });
  switch (choice.kind) {
    case "server":
      return built(wiring.serverHost);
    case "oxen-repo": {
      const host = createOxenRepoMediaHost({
        apiKey: config.oxen.apiKey,
        baseUrl: config.oxen.baseUrl,
        repo: config.media.oxenRepo ?? "",
        branch: config.media.oxenBranch,
        directory: join(wiring.dataDirectory, "media-oxen"),
        logger,
        ...dispatcher,
      });
      return built(host, host.start, host.stop);
    }
    case "provider": {
      if (config.provider === "fal") {
        const host = createFalStorageMediaHost({
          apiKey: config.fal.apiKey,
          storageUrl: config.fal.storageUrl,
          logger,
          ...dispatcher,
        });
        return built(host, idle, host.stop);
      }
      if (config.provider !== "aihubmax" && config.provider !== "evolink") {
        throw new ConfigError("MEDIA_HOST=provider needs PROVIDER=aihubmax, evolink or fal.");
      }
      const host = createProviderUploadMediaHost({
        provider: config.provider,
        apiKey: config[config.provider].apiKey,
        uploadBaseUrl:
          config.provider === "evolink" ? config.evolink.filesBaseUrl : config.aihubmax.baseUrl,
        logger,
        ...dispatcher,
      });
      return built(host, idle, host.stop);
    }
    case "data-uri":
      return built(createDataUriMediaHost({ logger }));
    case "none":
      return built(undefined);
  }
}
