import type { Agent, Dispatcher } from "undici";
import { createHttpAgent } from "../../http/http-agent.ts";
import type { RetryPolicy } from "../../http/request-json.ts";
import type { Sleep } from "../../http/sleep.ts";
import type { Logger } from "../../logger.ts";
import type { GenerationProvider } from "../generation-provider.ts";
import type { CallbackOutcome, CallbackRoute } from "./unified-task-callback.ts";
import type { PollTiming } from "./unified-task-poll-timing.ts";
import type { TaskPoller } from "./unified-task-poller.ts";

/** The options every provider followed by the shared `TaskPoller` takes. */
export interface PolledProviderOptions {
  apiKey: string;
  logger: Logger;
  /** PUBLIC_BASE_URL when https: creates carry a callback URL, and `callbackRoute` must be mounted. */
  callbackBaseUrl?: string;
  /** Poll intervals; defaults suit Seedance's minutes-long tasks. */
  pollTiming?: Partial<PollTiming>;
  /**
   * Defaults to a private keep-alive Agent, closed by `stop()`, that reaches the API and
   * `trustedHosts` on any address and everything else (result links, redirects) only on public ones.
   */
  dispatcher?: Dispatcher;
  /** Hosts besides the API that may be on private addresses (OUTBOUND_ALLOWED_HOSTS). */
  trustedHosts?: readonly string[];
  /** Longest JSON answer read (PROVIDER_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
  /** Waits between retries of a read (the poller's own timer uses the global setTimeout). */
  sleep?: Sleep;
  /** Jitter source for every backoff; 0.5 means no jitter. */
  random?: () => number;
  now?: () => number;
}

/** The port, plus what every polled provider has: callbacks and `idle()`. */
export interface PolledProvider extends GenerationProvider {
  /** Mount this (POST, prefix match) when `callbackBaseUrl` was given; undefined otherwise. */
  readonly callbackRoute: CallbackRoute | undefined;
  /**
   * A callback body. Only its task id is used: the task is read again from the API before anything
   * is believed (callbacks are unsigned). Returns at once; the read runs in the background.
   */
  handleCallback(body: unknown): CallbackOutcome;
  /** Resolves once no task read is under way. */
  idle(): Promise<void>;
}

export interface PolledProviderTransport {
  /** Ours to close in `stop()`; undefined when the caller passed a dispatcher. */
  ownDispatcher: Agent | undefined;
  dispatcher: Dispatcher | undefined;
  now: () => number;
  random: () => number;
  retry: RetryPolicy;
}

/** The dispatcher, clock, jitter and retry policy, made the same way for every polled provider. */
export function polledProviderTransport(
  options: PolledProviderOptions,
  apiUrl: string,
): PolledProviderTransport {
  const ownDispatcher = options.dispatcher
    ? undefined
    : createHttpAgent({ trustedHosts: [apiUrl, ...(options.trustedHosts ?? [])] });
  // Read at call time, so fake clocks in tests (and the poller's timer) agree.
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? Math.random;
  return {
    ownDispatcher,
    dispatcher: options.dispatcher ?? ownDispatcher,
    now,
    random,
    retry: { now, random, ...(options.sleep ? { sleep: options.sleep } : {}) },
  };
}

/** `<base>/<route path><secret>` when callbacks are on; undefined otherwise. */
export function callbackUrlOf(
  callbackBaseUrl: string | undefined,
  routePath: string,
  secret: string,
): string | undefined {
  return callbackBaseUrl
    ? `${callbackBaseUrl.replace(/\/+$/, "")}${routePath}${secret}`
    : undefined;
}

/** The port's methods that are the poller's own, and closing the dispatcher we made. */
export function pollerLifecycle(
  poller: TaskPoller,
  ownDispatcher: Agent | undefined,
): Pick<PolledProvider, "idle" | "stop" | "isConnected" | "reconcile" | "findSubmitted"> {
  return {
    idle: () => poller.idle(),
    async stop() {
      await poller.stop();
      await ownDispatcher?.destroy();
    },
    isConnected: () => poller.isConnected(),
    /** The API cannot list tasks, so a create whose answer was lost is not found (nor sent twice). */
    findSubmitted: async () => undefined,
    reconcile: (pending) => poller.reconcile(pending),
  };
}

const idPattern = /^[\w.-]{1,200}$/;

/** A callback that named `id` (`what` words it): reads that task now, unless the id looks wrong. */
export function readCalledBackTask(poller: TaskPoller, id: string, what: string): CallbackOutcome {
  if (!idPattern.test(id)) return { accepted: false, reason: `unexpected ${what}` };
  poller.readNow(id);
  return { accepted: true, providerJobId: id };
}
