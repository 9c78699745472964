import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger as BoltLogger, webApi } from "@slack/bolt";
import { InstallProvider, type InstallURLOptions } from "@slack/oauth";
import type { InstallationStore } from "../../src/installations/installation-store.ts";
import type { HttpServer } from "../../src/server/http-server.ts";
import { botScopes } from "./manifest.ts";
import { boltInstallationStore } from "./slack-installations.ts";

export const installPath = "/slack/install";
export const redirectPath = "/slack/oauth_redirect";

/** SLACK_CLIENT_ID and friends: "Add to Slack" for any workspace, each with its own installation. */
export interface SlackOauthOptions {
  clientId: string;
  clientSecret: string;
  /** Signs the `state` of an install, so a redirect is only accepted from the browser that started it. */
  stateSecret: string;
  /** SLACK_OAUTH_AUTHORIZE_URL, default https://slack.com/oauth/v2/authorize. */
  authorizeUrl?: string | undefined;
  installations: InstallationStore;
  /** `<PUBLIC_BASE_URL>/slack/oauth_redirect`, when the bot knows its public address. */
  redirectUri?: string | undefined;
}

/** Bolt's OAuth (`@slack/oauth`'s InstallProvider) over the bot's installation store. */
export function createInstaller(
  options: SlackOauthOptions,
  clientOptions: webApi.WebClientOptions,
  logger: BoltLogger,
  now?: () => number,
): { installer: InstallProvider; installUrlOptions: InstallURLOptions } {
  const { logger: _logger, logLevel: _level, ...webOptions } = clientOptions;
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateSecret: options.stateSecret,
    installationStore: boltInstallationStore(options.installations, now),
    authorizationUrl: options.authorizeUrl ?? "https://slack.com/oauth/v2/authorize",
    clientOptions: webOptions,
    logger,
  });
  const installUrlOptions: InstallURLOptions = {
    scopes: [...botScopes],
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
  };
  return { installer, installUrlOptions };
}

/** GET /slack/install (the "Add to Slack" page) and GET /slack/oauth_redirect, as Bolt's HTTPReceiver serves them. */
export function mountOauthRoutes(
  server: HttpServer,
  installer: InstallProvider,
  installUrlOptions: InstallURLOptions,
  running: () => boolean,
): void {
  const unavailable = (response: ServerResponse) =>
    void response.writeHead(503, { "content-type": "text/plain" }).end("Not ready");
  server.route("GET", installPath, async (request: IncomingMessage, response: ServerResponse) => {
    if (!running()) return unavailable(response);
    await installer.handleInstallPath(request, response, undefined, installUrlOptions);
  });
  server.route("GET", redirectPath, async (request: IncomingMessage, response: ServerResponse) => {
    if (!running()) return unavailable(response);
    // The install URL options come back inside the signed state.
    await installer.handleCallback(request, response);
  });
}
