import { readFileSync } from "node:fs";
import { workerData } from "node:worker_threads";
import { type RecordedRequest, startFakeOxenServer } from "../fakes/fake-oxen-server.ts";
import { serve } from "./worker-rpc.ts";

/**
 * The fake Oxen hub in its own thread, so its work never lands in the bot's process. Real Oxen sends
 * a heartbeat every 15 s; so does this one. `videoBytes`: the size of every result file.
 */
const options = (workerData ?? {}) as { videoBytes?: number };
const fixture = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));
const fake = await startFakeOxenServer({
  keepAliveIntervalMs: 15_000,
  ...(options.videoBytes ? { video: paddedVideo(fixture, options.videoBytes) } : {}),
});
const now = () => performance.timeOrigin + performance.now();

/** The fixture MP4 followed by a `free` box (ignored by players) up to `size` bytes. */
function paddedVideo(video: Buffer, size: number): Buffer {
  const padding = Buffer.alloc(Math.max(8, size - video.length));
  padding.writeUInt32BE(padding.length, 0);
  padding.write("free", 4, "latin1");
  return Buffer.concat([video, padding]);
}

export type RequestKind =
  | "enqueue"
  | "list"
  | "status"
  | "download"
  | "cost"
  | "cancel"
  | "events"
  | "models"
  | "other";

function kindOf(request: RecordedRequest): RequestKind {
  const { method, pathname } = request;
  if (pathname === "/api/ai/queue") return method === "POST" ? "enqueue" : "list";
  if (pathname.startsWith("/api/ai/queue/")) return method === "DELETE" ? "cancel" : "status";
  if (pathname.startsWith("/api/repos/test/outputs/file/")) return "download";
  if (pathname.startsWith("/api/ai/generations/")) return "cost";
  if (pathname === "/api/events") return "events";
  if (pathname.startsWith("/api/ai/models")) return "models";
  return "other";
}

const resultId = (pathname: string) => /\/([^/]+)\.mp4$/.exec(pathname)?.[1] ?? "";
/** The `<prefix>-<n>` tag the benchmark puts at the start of every prompt (else the job id). */
function keyOf(id: string): string {
  const prompt = String(fake.jobs.get(id)?.parameters.prompt ?? "");
  return /^[a-z]+-\d+/.exec(prompt)?.[0] ?? id;
}
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

const handlers = {
  info: () => ({ baseUrl: fake.baseUrl, apiKey: fake.apiKey }),
  /** How many requests so far: pass it to `count` to count only later ones. */
  mark: () => fake.requests.length,
  count(from = 0, until = fake.requests.length): Record<RequestKind | "total", number> {
    const counts: Record<string, number> = { total: 0 };
    for (const request of fake.requests.slice(from, until)) {
      const kind = kindOf(request);
      counts[kind] = (counts[kind] ?? 0) + 1;
      counts.total = (counts.total ?? 0) + 1;
    }
    return counts as Record<RequestKind | "total", number>;
  },
  /** Jobs still queued or running, oldest first, whose prompt starts with `prefix`. */
  pendingIds: (prefix = "") =>
    [...fake.jobs.values()]
      .filter((job) => job.status === "queued" || job.status === "processing")
      .filter((job) => String(job.parameters.prompt ?? "").startsWith(prefix))
      .map((job) => job.id),
  /** Completes `ids` evenly over `spreadMs` (one event each on the stream); returns when each fired, by prompt tag. */
  async completeSpread(ids: string[], spreadMs: number): Promise<Array<[string, number]>> {
    const fired: Array<[string, number]> = [];
    const started = now();
    while (fired.length < ids.length) {
      const due =
        spreadMs <= 0 ? ids.length : Math.ceil(((now() - started) / spreadMs) * ids.length);
      for (const id of ids.slice(fired.length, Math.min(due, ids.length))) {
        fake.complete(id);
        fired.push([keyOf(id), now()]);
      }
      if (fired.length < ids.length) await pause(5);
    }
    return fired;
  },
  /** Completes without an event, as if the stream had missed it (only a sweep finds these). */
  completeSilently(ids: string[]) {
    for (const id of ids) fake.complete(id, { emit: false });
  },
  /** When each result download (from `from` on) arrived, by prompt tag: first arrival wins. */
  downloads(from = 0): Array<[string, number]> {
    const first = new Map<string, number>();
    for (const request of fake.requests.slice(from)) {
      if (kindOf(request) !== "download") continue;
      const key = keyOf(decodeURIComponent(resultId(request.pathname)));
      if (!first.has(key)) first.set(key, request.receivedAt);
    }
    return [...first];
  },
  dropStreams: () => fake.dropStreams(),
  sseClients: () => fake.sseClientCount(),
  close: () => fake.close(),
};

export type HubMethods = typeof handlers;
serve(handlers);
