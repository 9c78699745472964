import {
  App,
  type Authorize,
  type BlockAction,
  type Receiver,
  SocketModeReceiver,
  type ViewSubmitAction,
  webApi,
} from "@slack/bolt";
import type { Dispatcher } from "undici";
import { commands, messageActions } from "../../commands/index.ts";
import type { ChatAdapter, DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import { ConfigError } from "../../src/errors.ts";
import { createHttpAgent } from "../../src/http/index.ts";
import type { Job } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import type { MediaHost } from "../../src/media/index.ts";
import { type ChatMetrics, noChatMetrics } from "../../src/observability/chat-metrics.ts";
import type { HttpServer } from "../../src/server/http-server.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import { boltLogger } from "./bolt-logger.ts";
import { BotServerReceiver, type SlackBodyLimits } from "./bot-server-receiver.ts";
import {
  animateViewId,
  commandViewPrefix,
  extendViewId,
  remixViewId,
  shortcutOf,
} from "./command-forms.ts";
import { deliver, slackUploadLimitBytes } from "./delivery.ts";
import { downloadActionId } from "./delivery-messages.ts";
import { findDelivery } from "./find-delivery.ts";
import { handleButton } from "./handle-action.ts";
import { handleCommand } from "./handle-command.ts";
import { handleDirectMessage, handleMention } from "./handle-message.ts";
import { handleReaction } from "./handle-reaction.ts";
import { handleAnimateShortcut } from "./handle-shortcut.ts";
import { handleView } from "./handle-view.ts";
import { jobActionPattern } from "./job-actions.ts";
import { slackFileOrigins } from "./private-files.ts";
import { renewSlackInputs } from "./publish-media.ts";
import {
  forJob,
  inWorkspace,
  platform,
  type SlackContext,
  type SlackIdentity,
} from "./slack-context.ts";
import { slackOnlyFetch, slackPostOrigins } from "./slack-fetch.ts";
import { type IdentityTimers, SlackIdentityLearner } from "./slack-identity.ts";
import { SlackMemory } from "./slack-memory.ts";
import { measuredAck, observedFetch } from "./slack-metrics.ts";
import { createInstaller, type SlackOauthOptions } from "./slack-oauth.ts";
import {
  installedWorkspaces,
  type SlackAuthorization,
  singleWorkspace,
} from "./slack-workspaces.ts";
import { showStatus } from "./status-updates.ts";

type VideoLinkAnswer = string | { url: string; expiresAt?: number } | undefined;

export interface SlackAdapterOptions {
  /** SLACK_BOT_TOKEN (xoxb-…): one workspace. Without it, `oauth` serves any that installs the app. */
  botToken?: string | undefined;
  /** Slack OAuth (SLACK_CLIENT_ID…): each workspace's installation brings its own token. */
  oauth?: SlackOauthOptions | undefined;
  /** SLACK_APP_TOKEN (xapp-…): Socket Mode, no public URL needed. */
  appToken?: string | undefined;
  /** SLACK_SIGNING_SECRET: the HTTP receiver at POST /slack/events, when there is no app token. */
  signingSecret?: string | undefined;
  /** SLACK_API_URL, default https://slack.com/api/. */
  apiUrl?: string | undefined;
  service: GenerationServicePort;
  /** The bot's HTTP server on PORT; the HTTP receiver mounts on it. */
  server: HttpServer;
  /** Where private Slack files are published for the provider; without one, such requests are refused. */
  mediaHost?: MediaHost | undefined;
  logger: Logger;
  /** A link for videos Slack will not take as a file; with `expiresAt`, the message says until when. */
  videoLink?: (job: Job) => Promise<VideoLinkAnswer> | VideoLinkAnswer;
  /** A public link to the job's poster frame (an image block); without one, the JPEG is uploaded. */
  posterLink?: (job: Job) => Promise<VideoLinkAnswer> | VideoLinkAnswer;
  /** Web API retries on network errors and 5xx (default 2). */
  apiRetries?: number;
  /** Hold HTTP answers until listeners finish (tests only; Slack wants an answer within 3 s). */
  processBeforeResponse?: boolean;
  /** Acknowledgement latency, Web API errors and delivery failures (see `src/observability`). */
  metrics?: ChatMetrics;
  /**
   * The guarded agent (`src/http/outbound-guard.ts`) for file downloads and uploads; by default
   * one of the adapter's own that trusts Slack's file host and the API's origin.
   */
  dispatcher?: Dispatcher;
  /** Longest body of an unsigned (SLACK_UNSIGNED_MAX_BYTES) and a signed (SLACK_EVENT_MAX_BYTES) request. */
  bodyLimits?: SlackBodyLimits;
  /** The largest file Slack takes here (a workspace may set less than Slack's 1 GB). */
  uploadLimitBytes?: number;
  now?: () => number;
  /** Origins besides Slack's and the API's that `response_url` answers may go to (a test's fake behind a front). */
  answerOrigins?: readonly string[];
  /** The timers that retry a failed `auth.test` in the background (tests pass fake ones). */
  identityTimers?: IdentityTimers;
}

export interface SlackAdapter extends ChatAdapter {
  readonly app: App;
  readonly identity: Readonly<SlackIdentity>;
  /** Why Slack is not fully ready (its identity is not learned yet), or undefined. */
  readinessProblem(): string | undefined;
}

/**
 * Bolt's `authorize`: the token and the identity learned once at start-up, so no request waits
 * on `auth.test`. Until it is learned, an event's own `authorizations` name the bot user.
 */
function authorizeWith(botToken: string, identity: SlackIdentity): Authorize<boolean> {
  return async (_source, body) => {
    const authorizations = (body as { authorizations?: unknown } | undefined)?.authorizations;
    const first = Array.isArray(authorizations)
      ? (authorizations[0] as { user_id?: unknown; is_bot?: unknown } | undefined)
      : undefined;
    const fromEvent =
      first?.is_bot === true && typeof first.user_id === "string" ? first.user_id : undefined;
    // A signed event from Slack names the bot user; kept, since the handlers read it too.
    if (identity.botUserId === undefined && fromEvent) identity.botUserId = fromEvent;
    const { botUserId } = identity;
    return {
      botToken,
      ...(identity.botId ? { botId: identity.botId } : {}),
      ...(botUserId ? { botUserId } : {}),
      ...(identity.teamId ? { teamId: identity.teamId } : {}),
    };
  };
}

function receiverFor(
  options: SlackAdapterOptions,
  apiUrl: string,
  oauth: ReturnType<typeof createInstaller> | undefined,
): Receiver {
  const logger = boltLogger(options.logger);
  if (options.appToken && !oauth) {
    // Its own client options: reconnecting keeps trying (Socket Mode's default retries), while
    // ordinary calls give up sooner and leave retrying to the service.
    return new SocketModeReceiver({
      appToken: options.appToken,
      logger,
      installerOptions: { clientOptions: { slackApiUrl: apiUrl } },
    });
  }
  if (!options.signingSecret) {
    throw new ConfigError(
      "Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP at /slack/events) besides SLACK_BOT_TOKEN.",
    );
  }
  return new BotServerReceiver({
    server: options.server,
    signingSecret: options.signingSecret,
    logger,
    ...(options.processBeforeResponse ? { processBeforeResponse: true } : {}),
    ...(options.bodyLimits ? { bodyLimits: options.bodyLimits } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(oauth ? { oauth } : {}),
  });
}

/** Slack as a chat platform: the real Bolt app, with every flow routed to the shared service. */
export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const apiUrl = options.apiUrl ?? "https://slack.com/api/";
  const logger = options.logger;
  const metrics = options.metrics ?? noChatMetrics;
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: apiUrl,
    retryConfig: { retries: options.apiRetries ?? 2 },
    timeout: 30_000,
    fetch: slackOnlyFetch(
      [...slackPostOrigins(apiUrl), ...(options.answerOrigins ?? [])],
      observedFetch(metrics),
    ),
  };
  const identity: SlackIdentity = {};
  const oauth = options.oauth
    ? createInstaller(options.oauth, clientOptions, boltLogger(logger), options.now)
    : undefined;
  const botToken = options.botToken;
  if (!botToken && !oauth) {
    throw new ConfigError("Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID for OAuth installs.");
  }
  // auth.test runs once at start(), where a bad token fails loudly; Bolt asks `authorize`. With
  // OAuth, Bolt authorizes every event from the installation store through the receiver's installer.
  const app = new App({
    ...(botToken ? { authorize: authorizeWith(botToken, identity) } : {}),
    receiver: receiverFor(options, apiUrl, oauth),
    socketMode: options.appToken !== undefined && !oauth,
    clientOptions,
    logger: boltLogger(logger),
  });
  // The bot's own client for what happens outside a listener (cards, deliveries); made after the
  // App, which gives the options its logger. With OAuth it has no token: every call goes through
  // the client of the job's or event's own workspace (`workspaces`).
  const client = new webApi.WebClient(botToken, clientOptions);
  const learner = new SlackIdentityLearner({
    client,
    identity,
    logger,
    ...(options.identityTimers ? { timers: options.identityTimers } : {}),
  });
  const now = options.now ?? Date.now;
  const origins = slackFileOrigins(apiUrl);
  const ownDispatcher = options.dispatcher ? undefined : createHttpAgent({ trustedHosts: origins });
  const dispatcher = options.dispatcher ?? (ownDispatcher as Dispatcher);
  const files = { botToken: botToken ?? "", origins, dispatcher };
  const workspaces = oauth
    ? installedWorkspaces({
        installer: oauth.installer,
        clientOptions,
        files: { origins, dispatcher },
      })
    : singleWorkspace({ client, identity, files, team: {} });
  const context: SlackContext = {
    client,
    workspaces,
    team: {},
    service: options.service,
    logger,
    memory: new SlackMemory(now),
    identity,
    files,
    mediaHost: options.mediaHost,
    now,
    startedAt: now(),
    metrics,
    uploadLimitBytes: options.uploadLimitBytes ?? slackUploadLimitBytes,
    videoLink: async (job) => {
      const answer = await options.videoLink?.(job);
      return typeof answer === "string" ? { url: answer } : answer;
    },
    posterLink: async (job) => {
      const answer = await options.posterLink?.(job);
      return typeof answer === "string" ? answer : answer?.url;
    },
  };
  registerListeners(app, context);
  return {
    platform,
    app,
    identity,
    async start() {
      const auth = botToken ? await learner.learn() : undefined;
      await app.start();
      logger.info(
        { team: auth?.team, user: auth?.user, socketMode: options.appToken !== undefined },
        "Slack connected",
      );
    },
    readinessProblem: () => (botToken ? learner.problem() : undefined),
    async stop() {
      learner.stop();
      await app.stop();
      await ownDispatcher?.close();
    },
    uploadLimitBytes: () => context.uploadLimitBytes,
    // What the core starts goes to the job's own workspace, with that workspace's token.
    showStatus: async (job: Job) => showStatus(await forJob(context, job.origin), job),
    deliver: async (job: Job, video: DeliverableVideo) =>
      deliver(await forJob(context, job.origin), job, video),
    findDelivery: async (job: Job) => findDelivery(await forJob(context, job.origin), job),
    renewInputs: async (request, before, origin) =>
      renewSlackInputs(origin ? await forJob(context, origin) : context, request, before),
  };
}

function registerListeners(app: App, base: SlackContext): void {
  const measured = <Input extends Parameters<typeof measuredAck>[2]>(input: Input) =>
    measuredAck(base.metrics, base.now, input);
  // Each listener works in the workspace Bolt authorized the request for, with its token.
  const scoped = (input: { context: SlackAuthorization }) =>
    inWorkspace(base, base.workspaces.fromAuthorization(input.context));
  for (const command of commands) {
    app.command(`/${command.name}`, (input) =>
      handleCommand(scoped(input), command, measured(input)),
    );
  }
  for (const action of messageActions) {
    app.shortcut(shortcutOf(action).callbackId, (input) =>
      handleAnimateShortcut(scoped(input), measured(input)),
    );
  }
  app.view<ViewSubmitAction>(
    new RegExp(`^(?:${commandViewPrefix}|${animateViewId}$|${remixViewId}$|${extendViewId}$)`),
    (input) => handleView(scoped(input), measured(input)),
  );
  app.action<BlockAction>(downloadActionId, async ({ ack }) => {
    await ack();
  });
  app.action<BlockAction>(jobActionPattern, (input) =>
    handleButton(scoped(input), measured(input)),
  );
  app.event("app_mention", (input) => handleMention(scoped(input), input));
  app.event("message", (input) => handleDirectMessage(scoped(input), input));
  app.event("reaction_added", (input) => handleReaction(scoped(input), input));
  // One failing listener must never stop the bot.
  app.error(async (error) => {
    base.logger.error({ err: error }, "Slack listener failed");
  });
}
