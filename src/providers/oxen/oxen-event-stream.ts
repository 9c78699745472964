import { createParser, type EventSourceMessage } from "eventsource-parser";
import { type Dispatcher, request } from "undici";
import { errorMessage } from "../../errors.ts";
import { headerValue } from "../../http/request-json.ts";
import { sleep } from "../../http/sleep.ts";
import type { Logger } from "../../logger.ts";
import { backoffDelay } from "../../util/backoff.ts";
import type { ProviderListener } from "../generation-provider.ts";
import { completedEventUpdate } from "./oxen-completed-event.ts";

export interface OxenEventStreamOptions {
  /** `<baseUrl>/api/events` */
  url: string;
  apiKey: string;
  listener: ProviderListener;
  logger: Logger;
  /** No byte (event or keep-alive) for this long = a dead stream. */
  idleTimeoutMs: number;
  dispatcher?: Dispatcher | undefined;
  random?: () => number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Wait after a 401: a bad key will not fix itself quickly. */
  unauthorizedRetryMs?: number;
}

export interface OxenEventStream {
  /** Starts connecting; resolves once the first attempt has connected or failed. */
  start(): Promise<void>;
  stop(): Promise<void>;
  isConnected(): boolean;
}

class StreamClosed extends Error {
  readonly statusCode: number | undefined;
  constructor(message: string, statusCode?: number) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** One SSE connection to the hub, kept alive forever: watchdog, backoff, reconnect. */
export function createOxenEventStream(options: OxenEventStreamOptions): OxenEventStream {
  const { listener, logger } = options;
  const stopping = new AbortController();
  let connected = false;
  let loop: Promise<void> | undefined;
  let firstAttempt: () => void = () => {};

  const notify = (what: string, call: () => void) => {
    try {
      call();
    } catch (error) {
      logger.error({ err: error }, `the ${what} listener threw`);
    }
  };

  const handleEvent = (message: EventSourceMessage) => {
    const update = completedEventUpdate(message, logger);
    if (update) notify("update", () => listener.onUpdate(update));
  };

  /** One connection, from request to drop; resolves with whether any byte arrived. */
  const connectOnce = async (): Promise<{ receivedData: boolean; reason: string }> => {
    const connection = new AbortController();
    const abortConnection = () => connection.abort();
    stopping.signal.addEventListener("abort", abortConnection, { once: true });
    let idle = false;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const resetWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        idle = true;
        connection.abort();
      }, options.idleTimeoutMs);
    };
    let receivedData = false;
    try {
      resetWatchdog();
      const response = await request(options.url, {
        method: "GET",
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          accept: "text/event-stream",
          "cache-control": "no-cache",
        },
        signal: connection.signal,
        bodyTimeout: 0,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
      const contentType = headerValue(response.headers["content-type"]) ?? "";
      if (response.statusCode !== 200 || !contentType.startsWith("text/event-stream")) {
        await response.body.dump().catch(() => {});
        throw new StreamClosed(
          `HTTP ${response.statusCode} ${contentType || "without a content type"}`,
          response.statusCode,
        );
      }
      connected = true;
      firstAttempt();
      logger.info("Oxen event stream connected");
      notify("connected", () => listener.onConnected());
      const decoder = new TextDecoder();
      const parser = createParser({
        // A line that never ends would otherwise grow without bound; exceeding it drops the stream.
        maxBufferSize: 1_000_000,
        onEvent: handleEvent,
        onComment: () => {
          logger.trace("Oxen event stream keep-alive");
        },
        onError: (error) => logger.warn({ err: error }, "Oxen event stream parse error"),
      });
      resetWatchdog();
      for await (const chunk of response.body) {
        receivedData = true;
        resetWatchdog();
        parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
      }
      return { receivedData, reason: "the stream ended" };
    } catch (error) {
      const reason = idle
        ? `no data for ${options.idleTimeoutMs} ms`
        : stopping.signal.aborted
          ? "stopped"
          : errorMessage(error);
      if (!connected) throw error instanceof StreamClosed ? error : new StreamClosed(reason);
      return { receivedData, reason };
    } finally {
      clearTimeout(watchdog);
      stopping.signal.removeEventListener("abort", abortConnection);
      connection.abort();
      connected = false;
    }
  };

  const run = async () => {
    let attempt = 0;
    while (!stopping.signal.aborted) {
      let delay: number;
      try {
        const outcome = await connectOnce();
        if (stopping.signal.aborted) break;
        notify("disconnected", () => listener.onDisconnected(outcome.reason));
        if (outcome.receivedData) attempt = 0;
        delay = nextDelay(attempt++);
        logger.warn({ reason: outcome.reason, retryInMs: delay }, "Oxen event stream dropped");
      } catch (error) {
        firstAttempt();
        if (stopping.signal.aborted) break;
        const statusCode = error instanceof StreamClosed ? error.statusCode : undefined;
        delay = nextDelay(attempt++);
        if (statusCode === 401) {
          delay = Math.max(delay, options.unauthorizedRetryMs ?? 120_000);
          logger.error(
            { retryInMs: delay },
            "Oxen rejected the API key on the event stream (401); check OXEN_API_KEY",
          );
        } else {
          logger.warn(
            { reason: errorMessage(error), retryInMs: delay },
            "could not connect the Oxen event stream",
          );
        }
      }
      await sleep(delay, stopping.signal);
    }
  };

  const nextDelay = (attempt: number) =>
    backoffDelay(attempt, {
      initialMs: options.reconnectInitialMs ?? 1_000,
      maxMs: options.reconnectMaxMs ?? 60_000,
      ...(options.random ? { random: options.random } : {}),
    });

  return {
    start() {
      if (loop) return Promise.resolve();
      const settled = new Promise<void>((resolve) => {
        firstAttempt = resolve;
      });
      loop = run().catch((error: unknown) => {
        logger.error({ err: error }, "the Oxen event stream loop failed");
      });
      return settled;
    },
    async stop() {
      stopping.abort();
      firstAttempt();
      await loop;
    },
    isConnected: () => connected,
  };
}
