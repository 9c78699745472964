import type { IncomingMessage, ServerResponse } from "node:http";
import type { Timeline } from "./timeline.ts";

/** The bounds on event streams (PLAYGROUND_EVENT* variables). */
export interface EventStreamLimits {
  firstPageEntries: number;
  streamsPerUser: number;
  streamsTotal: number;
  maxBufferedBytes: number;
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * `/api/events`: Server-Sent Events. A connection first gets a `snapshot` (settings and every
 * entry), then one `entry` event per change; a comment every `heartbeatMs` keeps proxies open.
 */
export function createEventStream(
  timeline: Timeline,
  settings: () => Record<string, unknown>,
  heartbeatMs = 15_000,
) {
  const open = new Set<ServerResponse>();

  function handle(_request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    response.write(frame("snapshot", { ...settings(), entries: timeline.list() }));
    const unsubscribe = timeline.subscribe((entry) => response.write(frame("entry", entry)));
    const heartbeat = setInterval(() => response.write(": ping\n\n"), heartbeatMs);
    heartbeat.unref();
    open.add(response);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(response);
    };
    // Not the request's "close": for a GET it fires as soon as the (empty) body has been read.
    response.once("close", close);
  }

  return {
    handle,
    /** Ends every open stream (on stop), so the HTTP server can close. */
    closeAll(): void {
      for (const response of open) response.end();
      open.clear();
    },
  };
}
