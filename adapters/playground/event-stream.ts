import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../../src/server/http-server.ts";
import type { Timeline } from "./timeline.ts";

/** The bounds on event streams (PLAYGROUND_EVENT* variables). */
export interface EventStreamLimits {
  firstPageEntries: number;
  streamsPerUser: number;
  streamsTotal: number;
  maxBufferedBytes: number;
}

export const defaultEventStreamLimits: EventStreamLimits = {
  firstPageEntries: 100,
  streamsPerUser: 8,
  streamsTotal: 64,
  maxBufferedBytes: 1024 * 1024,
};

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `/api/events`: Server-Sent Events. A connection first gets a `snapshot` (settings and the
 * newest `firstPageEntries` entries; older ones come from `/api/entries?before=<id>`), then one
 * `entry` event per change; a comment every `heartbeatMs` keeps proxies open. Streams are capped
 * per visitor and in all, and a client that lets more than `maxBufferedBytes` pile up unread is
 * dropped (its browser reconnects and starts again from a fresh first page).
 */
export function createEventStream(options: {
  timeline: Timeline;
  settings: () => Record<string, unknown>;
  limits?: Partial<EventStreamLimits> | undefined;
  visitorOf?: (request: IncomingMessage) => string;
  heartbeatMs?: number;
}) {
  const { timeline } = options;
  const limits = { ...defaultEventStreamLimits, ...options.limits };
  const visitorOf = options.visitorOf ?? ((request) => request.socket.remoteAddress ?? "");
  const open = new Map<ServerResponse, string>();
  const perVisitor = new Map<string, number>();

  function refuseOverCap(visitor: string, response: ServerResponse): boolean {
    const mine = perVisitor.get(visitor) ?? 0;
    let message: string | undefined;
    if (mine >= limits.streamsPerUser) {
      message = `You have ${mine} live views open (PLAYGROUND_EVENT_STREAMS_PER_USER is ${limits.streamsPerUser}); close a tab.`;
    } else if (open.size >= limits.streamsTotal) {
      message = `${open.size} live views are open (PLAYGROUND_EVENT_STREAMS_TOTAL is ${limits.streamsTotal}); try again later.`;
    }
    if (!message) return false;
    response.setHeader("retry-after", "10");
    sendJson(response, 429, { error: { message } });
    return true;
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    const visitor = visitorOf(request);
    if (refuseOverCap(visitor, response)) return;
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    const first = timeline.page(limits.firstPageEntries);
    const snapshot = frame("snapshot", { ...options.settings(), ...first });
    // The first page may wait unread on top of the bound: it is bounded by its entry count.
    const allowance = limits.maxBufferedBytes + Buffer.byteLength(snapshot);
    const send = (text: string) => {
      if (response.destroyed) return;
      response.write(text);
      // A client that does not read: drop it rather than hold what it will not take.
      if (response.writableLength > allowance) response.destroy();
    };
    send(snapshot);
    const unsubscribe = timeline.subscribe((entry) => send(frame("entry", entry)));
    const heartbeat = setInterval(() => send(": ping\n\n"), options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    open.set(response, visitor);
    perVisitor.set(visitor, (perVisitor.get(visitor) ?? 0) + 1);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(response);
      const left = (perVisitor.get(visitor) ?? 1) - 1;
      if (left > 0) perVisitor.set(visitor, left);
      else perVisitor.delete(visitor);
    };
    // Not the request's "close": for a GET it fires as soon as the (empty) body has been read.
    response.once("close", close);
  }

  /** `/api/entries?before=<id>&limit=<n>`: older history, a page at a time. */
  function older(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? "/", "http://localhost");
    const before = url.searchParams.get("before") ?? undefined;
    const asked = Number(url.searchParams.get("limit") ?? limits.firstPageEntries);
    const limit =
      Number.isInteger(asked) && asked > 0
        ? Math.min(asked, limits.firstPageEntries)
        : limits.firstPageEntries;
    sendJson(response, 200, timeline.page(limit, before));
  }

  return {
    handle,
    older,
    /** Ends every open stream (on stop), so the HTTP server can close. */
    closeAll(): void {
      for (const response of open.keys()) response.end();
      open.clear();
      perVisitor.clear();
    },
  };
}
