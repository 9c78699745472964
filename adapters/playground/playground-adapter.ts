import type { IncomingMessage, ServerResponse } from "node:http";
import { commands, validFlagsText } from "../../commands/index.ts";
import type { ChatAdapter, DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import type { Job } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import { type MediaHost, sendFile } from "../../src/media/index.ts";
import { type ChatMetrics, noChatMetrics } from "../../src/observability/chat-metrics.ts";
import { type HttpServer, type RouteHandler, sendJson } from "../../src/server/http-server.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import { createAccess } from "./access.ts";
import { createOnce } from "./answers.ts";
import { jobActionSchema, reactionSchema, sendMessageSchema } from "./api-schemas.ts";
import { cardOf } from "./card-view.ts";
import { createEventStream, type EventStreamLimits } from "./event-stream.ts";
import { describeFailure, readJson } from "./http-io.ts";
import { runJobAction } from "./job-actions.ts";
import { sendMessage } from "./messages.ts";
import { type Answer, localUser, type PlaygroundContext, platform } from "./playground-context.ts";
import { createPlaygroundPosters, posterRoute } from "./posters.ts";
import { createStaticFiles } from "./static-files.ts";
import { Timeline } from "./timeline.ts";
import { persistTimeline } from "./timeline-file.ts";
import { defaultUploadLimits } from "./upload-limits.ts";
import {
  acceptedTypesText,
  createUploads,
  type UploadLimits,
  unreachableReason,
} from "./uploads.ts";

export interface PlaygroundAdapterOptions {
  service: GenerationServicePort;
  /** The bot's HTTP server; the playground takes `/`, `/static/` and `/api/`. */
  server: HttpServer;
  /** Where uploads go so the provider can fetch them (and the page previews them). */
  mediaHost: MediaHost;
  /** MEDIA_HOST's host when it is not the bot's own server: the provider reads uploads there. */
  providerHost?: MediaHost | undefined;
  logger: Logger;
  /** PLAYGROUND_TOKEN: required when the server is reachable beyond loopback. */
  token?: string | undefined;
  /** The provider is the simulator: every card says so. */
  simulated: boolean;
  /** PUBLIC_BASE_URL, or http://127.0.0.1:PORT. */
  publicBaseUrl: string;
  /** PLAYGROUND_SESSION_TTL_MS and PLAYGROUND_TOKEN_ATTEMPTS (see access.ts). */
  sessionTtlMs?: number;
  tokenAttempts?: number;
  /** Upload bounds (see uploads.ts); defaults as in the README. */
  uploads?: Partial<UploadLimits>;
  /** Event stream bounds (see event-stream.ts). */
  events?: Partial<EventStreamLimits>;
  /** Acknowledgement latency: from a message or action arriving to its answer. */
  metrics?: ChatMetrics;
  now?: () => number;
  /** Where the threads are kept (DATA_DIR/playground), so a restart shows them whole. */
  dataDirectory?: string | undefined;
}

export interface PlaygroundAdapter extends ChatAdapter {
  /**
   * The address to print at start-up. It never carries the token: with one, people open
   * `<url>?token=<PLAYGROUND_TOKEN>` once and a cookie keeps them in.
   */
  readonly url: string;
}

/** Videos finished here are far below this; the page plays them from the bot's disk. */
const uploadLimit = 1024 ** 3;

/** A chat channel with threads in the browser, served by the bot's own HTTP server. */
export function createPlaygroundAdapter(options: PlaygroundAdapterOptions): PlaygroundAdapter {
  const { service, server, logger } = options;
  const now = options.now ?? Date.now;
  const baseUrl = options.publicBaseUrl.replace(/\/+$/, "");
  const previewUrl = (url: string): string => {
    const local = context.uploads.localCopyOf(url) ?? url;
    return local.startsWith(`${baseUrl}/`) ? local.slice(baseUrl.length + 1) : local;
  };
  const timeline = new Timeline();
  const videos = new Map<string, string>();
  const posters = createPlaygroundPosters(service);
  const reactions = new Map<string, Set<string>>();
  const access = createAccess({
    token: options.token,
    publicBaseUrl: baseUrl,
    now,
    ...(options.sessionTtlMs ? { sessionTtlMs: options.sessionTtlMs } : {}),
    ...(options.tokenAttempts ? { tokenAttempts: options.tokenAttempts } : {}),
  });
  const allow = access.allow;
  const uploadLimits = { ...defaultUploadLimits, ...options.uploads };
  const context: PlaygroundContext = {
    service,
    timeline,
    uploads: createUploads({
      mediaHost: options.mediaHost,
      providerHost: options.providerHost,
      previewUrl,
      now,
      unreachableReason: options.simulated ? undefined : unreachableReason(baseUrl),
      limits: uploadLimits,
      visitorOf: access.visitor,
    }),
    logger,
    now,
    card: (job: Job) =>
      cardOf(job, {
        simulated: options.simulated,
        videoUrl:
          videos.has(job.id) || (job.state === "delivered" && job.videoPath)
            ? `api/videos/${job.id}`
            : undefined,
        posterUrl: posters.urlFor(job),
        reactions: [...(reactions.get(job.id) ?? [])],
        previewUrl,
      }),
    react(jobId, emoji) {
      reactions.set(jobId, (reactions.get(jobId) ?? new Set()).add(emoji));
    },
  };
  const events = createEventStream({
    timeline,
    settings: () => ({
      simulated: options.simulated,
      user: "you",
      commands: commands.map(({ name, description }) => ({ name, description })),
      flags: validFlagsText,
      accepts: acceptedTypesText,
      maxUploadBytes: uploadLimits.maxBytes,
      signOut: Boolean(options.token),
    }),
    limits: options.events,
    visitorOf: access.visitor,
  });
  const once = createOnce();
  let stored: Awaited<ReturnType<typeof persistTimeline>> | undefined;
  let restoring: Promise<void> | undefined;
  /** The threads kept on disk, read once before anything else is shown (recovery may come first). */
  const restoreThreads = () => {
    restoring ??= (async () => {
      if (!options.dataDirectory) return;
      stored = await persistTimeline(timeline, options.dataDirectory, (error) =>
        logger.warn({ err: error }, "could not keep the playground's threads on disk"),
      );
      for (const entry of timeline.list()) {
        if (entry.kind === "card") reactions.set(entry.jobId, new Set(entry.reactions));
      }
    })();
    return restoring;
  };
  const metrics = options.metrics ?? noChatMetrics;

  const guard =
    (handler: RouteHandler): RouteHandler =>
    async (request, response) => {
      if (!allow(request, response)) return;
      try {
        await restoreThreads();
        await handler(request, response);
      } catch (error) {
        const failure = describeFailure(error);
        if (!failure) throw error;
        // A body refused half-read (too large) leaves the connection unusable for another request.
        if (!request.complete) response.setHeader("connection", "close");
        sendJson(response, failure.status, { error: { message: failure.message } });
      }
    };

  async function serveVideo(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const jobId = new URL(request.url ?? "/", "http://localhost").pathname.slice(
      "/api/videos/".length,
    );
    const job = /^[A-Za-z0-9]{1,32}$/.test(jobId) ? await service.getJob(jobId) : undefined;
    const path =
      job?.origin.platform === platform
        ? (videos.get(jobId) ?? (await service.videoFile(jobId))?.path)
        : undefined;
    if (!path) return sendJson(response, 404, { error: { message: `No video for job ${jobId}.` } });
    await sendFile(request, response, {
      path,
      contentType: "video/mp4",
      headers: { "cache-control": "private, max-age=3600" },
    });
  }

  const serveStatic = createStaticFiles(baseUrl);
  server.route("GET", "/static/", guard(serveStatic));
  server.route("GET", "/api/events", guard(events.handle));
  server.route("GET", "/api/entries", guard(events.older));
  server.route("POST", "/api/uploads", guard(context.uploads.handle));
  server.route("POST", "/api/sign-out", guard(access.signOut));
  /** A POST answered with the entries it added or changed: the page's acknowledgement. */
  const post = (path: string, run: (request: IncomingMessage) => Promise<Answer>) =>
    server.route(
      "POST",
      path,
      guard(async (request, response) => {
        const receivedAt = now();
        const answer = await run(request);
        // On disk before it is acknowledged: a crash right after the answer loses nothing shown.
        await stored?.idle();
        sendJson(response, answer.status, { entries: answer.entries });
        metrics.acknowledged(platform, (now() - receivedAt) / 1000);
      }),
    );
  post("/api/messages", async (request) => {
    const body = await readJson(request, sendMessageSchema);
    return once(`message:${body.clientRequestId}`, () => sendMessage(context, body));
  });
  post("/api/actions", async (request) => {
    const body = await readJson(request, jobActionSchema);
    return once(`action:${body.clientRequestId}`, () => runJobAction(context, body));
  });
  post("/api/reactions", async (request) => {
    const { emoji, ...rest } = await readJson(request, reactionSchema);
    const action = emoji === "❌" ? "cancel" : "regenerate";
    return once(`action:${rest.clientRequestId}`, () =>
      runJobAction(context, { ...rest, action }, emoji),
    );
  });
  server.route("GET", "/api/videos/", guard(serveVideo));
  server.route("HEAD", "/api/videos/", guard(serveVideo));
  server.route("GET", posterRoute, guard(posters.serve));
  // HttpServer treats "/" as a prefix of every path and takes the first match: registered last,
  // so the routes registered before it (health, media) keep working. Unknown paths get a 404.
  server.route("GET", "/", guard(serveStatic));

  return {
    platform,
    url: `${baseUrl}/`,
    async start() {
      await restoreThreads();
      // Cards of earlier runs, so /jobs links and threads still show their videos after a restart.
      const recent = await service.jobsFor(platform, localUser.userId, 50);
      for (const job of recent.reverse()) timeline.upsert(context.card(job));
      logger.info(
        { simulated: options.simulated, restored: recent.length, entries: timeline.list().length },
        "playground ready",
      );
    },
    async stop() {
      events.closeAll();
      stored?.close();
      await stored?.idle();
    },
    uploadLimitBytes: () => uploadLimit,
    async showStatus(job: Job) {
      await restoreThreads();
      const card = context.card(job);
      timeline.upsert(card);
      return card.id;
    },
    // No findDelivery: the video plays inside the job's card, an upsert by id, so delivering
    // again (after a restart or a retry) never shows it twice.
    async deliver(job: Job, video: DeliverableVideo) {
      await restoreThreads();
      videos.set(job.id, video.path);
      if (video.poster) posters.delivered(job.id, video.poster.path);
      timeline.upsert(context.card(job));
      await stored?.idle();
    },
  };
}
