import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  closeServer,
  listen,
  type RecordedRequest,
  recordRequest,
  sendBytes,
  sendJson,
} from "./fake-oxen-http.ts";
import { envelopes, type FakeOxenJob, newFakeJob } from "./fake-oxen-jobs.ts";
import { type FakeOxenRepo, FakeOxenRepoFiles } from "./fake-oxen-repo-files.ts";
import { routeFakeOxen } from "./fake-oxen-routes.ts";
import { FakeOxenEventHub, type FakeStreamMode } from "./fake-oxen-sse.ts";
import { type ScriptedFault, ScriptedFaults } from "./scripted-faults.ts";

export type { RecordedRequest } from "./fake-oxen-http.ts";
export type { FakeOxenJob } from "./fake-oxen-jobs.ts";
export type { FakeOxenRepo, FakeRepoFile } from "./fake-oxen-repo-files.ts";
export type { FakeStreamMode } from "./fake-oxen-sse.ts";

export interface FakeOxenOptions {
  apiKey?: string;
  /** "cdn": result URLs answer 302 to a second fake server that needs no credentials. */
  redirectResultsTo?: "cdn";
  /** Send `: keep-alive` every N ms (real time); 0 (default) sends none unless asked. */
  keepAliveIntervalMs?: number;
  /** Change the model objects served (to test drift). */
  transformModel?: (model: Record<string, unknown>) => Record<string, unknown>;
  /** Repositories that take file uploads; default one public repo, `bot/uploads`. */
  repos?: FakeOxenRepo[];
  /** The bytes every result file serves; default the 13 KB fixture (benchmarks serve larger ones). */
  video?: Buffer;
}

export type { ScriptedFault as ScriptedFailure } from "./scripted-faults.ts";

const fixtureVideo = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A node:http stand-in for hub.oxen.ai on 127.0.0.1: queue, generations, models, events and result
 * files, every request recorded, plus a second "CDN" server that result links may redirect to.
 */
export async function startFakeOxenServer(options: FakeOxenOptions = {}) {
  const apiKey = options.apiKey ?? "test-oxen-key";
  const requests: RecordedRequest[] = [];
  const cdnRequests: RecordedRequest[] = [];
  const jobs = new Map<string, FakeOxenJob>();
  const faults = new ScriptedFaults();
  const events = new FakeOxenEventHub(options.keepAliveIntervalMs ?? 0);
  const requestWaiters = new Set<() => void>();
  const repoFiles = new FakeOxenRepoFiles(options.repos ?? [{ name: "bot/uploads", public: true }]);
  const video = options.video ?? fixtureVideo;

  const cdn = createServer((request, response) => {
    void recordRequest(request, cdnRequests).then(({ pathname }) => {
      const id = /^\/files\/([^/]+)\.mp4$/.exec(pathname)?.[1];
      if (id && jobs.has(decodeURIComponent(id))) sendBytes(response, video, "video/mp4");
      else sendJson(response, 404, envelopes.notFound);
    });
  });
  const cdnBaseUrl = await listen(cdn);

  const hub = createServer((request, response) => {
    void recordRequest(request, requests).then(async (recorded) => {
      try {
        await answer(recorded, request, response);
      } finally {
        // Waiters wake once the request has had its effect (a create has made its job).
        for (const wake of [...requestWaiters]) wake();
      }
    });
  });

  async function answer(
    recorded: RecordedRequest,
    request: IncomingMessage,
    response: ServerResponse,
  ) {
    if (scripted(recorded, request, response)) return;
    const publicRead = repoFiles.isPublicRead(recorded);
    if (!publicRead && request.headers.authorization !== `Bearer ${apiKey}`) {
      sendJson(response, 401, envelopes.unauthenticated);
      return;
    }
    if (await repoFiles.handle(recorded, response)) return;
    const reply = routeFakeOxen(recorded, {
      jobs,
      cdnBaseUrl,
      redirectResultsTo: options.redirectResultsTo,
      transformModel: options.transformModel,
    });
    if (reply.kind === "events") events.accept(response);
    else if (reply.kind === "video") sendBytes(response, video, "video/mp4");
    else if (reply.kind === "redirect") response.writeHead(302, { location: reply.location }).end();
    else sendJson(response, reply.status, reply.body);
  }
  const baseUrl = await listen(hub);
  const resultUrlFor = (id: string) => `${baseUrl}/api/repos/test/outputs/file/main/${id}.mp4`;

  function scripted(recorded: RecordedRequest, request: IncomingMessage, response: ServerResponse) {
    return faults.answer(recorded, request, response, () => envelopes.scripted);
  }

  const finish = (id: string, patch: Partial<FakeOxenJob>) => {
    const job = jobs.get(id);
    if (!job) throw new Error(`the fake hub has no job ${id}`);
    const startedAt = job.startedAt ?? nowSeconds();
    return Object.assign(job, { startedAt, completedAt: nowSeconds(), ...patch });
  };

  return {
    baseUrl,
    apiKey,
    cdnBaseUrl,
    requests,
    cdnRequests,
    jobs,
    resultUrlFor,
    /** Files uploaded to repositories, keyed `ns/repo/branch/path`, and the commits that did it. */
    repoFiles: repoFiles.files,
    repoCommits: repoFiles.commits,
    /** Adds a job as if it had been enqueued (by us or by anyone using the same key). */
    addJob(
      model: string,
      parameters: Record<string, unknown> = {},
      fields: Partial<FakeOxenJob> = {},
    ) {
      const job = newFakeJob(model, parameters, Date.now(), fields);
      jobs.set(job.id, job);
      return job;
    },
    setRunning(id: string) {
      finish(id, { status: "processing", completedAt: null });
    },
    /** Succeeds the job; `resultUrl` replaces the hub's own link (a hostile provider's, say). */
    complete(id: string, { emit = true, resultUrl }: { emit?: boolean; resultUrl?: string } = {}) {
      const job = finish(id, { status: "succeeded", resultUrl: resultUrl ?? resultUrlFor(id) });
      if (!emit) return;
      events.emitCompleted({
        generation_id: id,
        status: "succeeded",
        media_type: "video",
        model: job.model,
        url: job.resultUrl,
      });
    },
    fail(id: string, error: string, { emit = true }: { emit?: boolean } = {}) {
      finish(id, { status: "failed", errorMessage: error });
      if (emit)
        events.emitCompleted({ generation_id: id, status: "failed", media_type: "video", error });
    },
    /** Cancelled by someone else: the row changes and, as documented, no event fires. */
    cancelExternally(id: string) {
      finish(id, { status: "cancelled" });
    },
    /** Raw bytes to every stream client: split events, comments, other event types. */
    emitRaw: (text: string | Uint8Array) => events.emitRaw(text),
    sendKeepAlive: () => events.sendKeepAlive(),
    /** Destroys every stream socket without an event. */
    dropStreams: () => events.dropAll(),
    setStreamMode(mode: FakeStreamMode) {
      events.mode = mode;
    },
    /** The next matching request(s) fail: a status, a hang or a reset. */
    failNext(
      method: string,
      pattern: string | RegExp,
      status: number,
      failure: ScriptedFault = {},
    ) {
      faults.add(method, pattern, status, failure);
    },
    sseClientCount: () => events.clientCount,
    sseConnectionsOpened: () => events.connectionsOpened,
    waitForSseClients: (count: number) => events.waitForClients(count),
    /** Resolves once `count` recorded requests match (real I/O, no timers). */
    waitForRequests(match: (request: RecordedRequest) => boolean, count = 1): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (requests.filter(match).length < count) return;
          requestWaiters.delete(check);
          resolve();
        };
        requestWaiters.add(check);
        check();
      });
    },
    async close() {
      await closeServer(hub);
      await closeServer(cdn);
    },
  };
}

export type FakeOxenServer = Awaited<ReturnType<typeof startFakeOxenServer>>;
