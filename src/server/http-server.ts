import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { type OperationsAccess, operationsAccess } from "./operations-access.ts";

export type RouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
) => Promise<void> | void;

interface Route {
  method: string;
  /** Exact path, or a prefix when it ends with "/". */
  path: string;
  handler: RouteHandler;
}

function specificity(route: Route): number {
  return route.path.endsWith("/") ? route.path.length : Number.POSITIVE_INFINITY;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** What an operator can do about a failed listen, in one line. */
function listenError(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const where = `PORT=${port} on HOST=${host}`;
  switch (error.code) {
    case "EADDRINUSE":
      return new ConfigError(
        `${where} is already in use: stop what is using it, or set PORT to a free port (PORT=0 picks one).`,
      );
    case "EACCES":
      return new ConfigError(
        `${where} needs privileges this process does not have: use a PORT above 1023.`,
      );
    case "EADDRNOTAVAIL":
      return new ConfigError(
        `HOST=${host} is not an address of this machine: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_FAIL":
      return new ConfigError(
        `HOST=${host} is not a known host name or address: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`,
      );
    default:
      return error;
  }
}

/** The bot's one HTTP server on PORT: health checks, and whatever routes adapters register. */
export class HttpServer {
  readonly #routes: Route[] = [];
  readonly #logger: Logger;
  readonly #server: Server;

  constructor(logger: Logger) {
    this.#logger = logger;
    this.#server = createServer((request, response) => void this.#handle(request, response));
  }

  route(method: string, path: string, handler: RouteHandler): void {
    this.#routes.push({ method: method.toUpperCase(), path, handler });
  }

  /** Listens on PORT at HOST; a port in use or a host that is not this machine's is a ConfigError. */
  async listen(port: number, host: string): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: NodeJS.ErrnoException) => reject(listenError(error, port, host));
      this.#server.once("error", fail);
      this.#server.listen(port, host, () => {
        this.#server.off("error", fail);
        resolve();
      });
    });
    return this.#server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    setTimeout(() => this.#server.closeAllConnections(), 2_000).unref();
    await closed;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const matches = this.#routes.filter((route) =>
      route.path.endsWith("/") ? path.startsWith(route.path) : path === route.path,
    );
    // Exact paths win over prefixes, and longer prefixes over shorter ones, whatever the order added.
    const route = matches
      .filter((candidate) => candidate.method === request.method)
      .sort((first, second) => specificity(second) - specificity(first))[0];
    try {
      if (route) await route.handler(request, response);
      else if (matches.length > 0)
        sendJson(response, 405, { error: `Method ${request.method} not allowed` });
      else sendJson(response, 404, { error: "Not found" });
    } catch (error) {
      this.#logger.error({ err: error, path }, "request handler failed");
      if (!response.headersSent) sendJson(response, 500, { error: "Internal error" });
      else response.destroy();
    }
  }
}

export interface HealthSources {
  storeHealthy(): boolean;
  eventsConnected(): boolean;
  /** The leases this instance holds (name#token); omitted from /readyz when not given. */
  heldLeases?(): string[];
  /** Chat platforms that work only in part, with why (e.g. Slack's identity not learned yet). */
  platformProblems?(): Readonly<Record<string, string>>;
}

/** `/healthz`: the process answers. Cheap, open, and it says nothing else. */
export function registerLiveness(server: HttpServer): void {
  server.route("GET", "/healthz", (_request, response) =>
    sendJson(response, 200, { status: "ok" }),
  );
}

/** `/readyz`: the store is open and provider events flow; only for those `access` allows. */
export function registerReadiness(
  server: HttpServer,
  sources: HealthSources,
  access: OperationsAccess = operationsAccess(),
): void {
  server.route("GET", "/readyz", (request, response) => {
    if (!access.allows(request)) return access.refuse(response);
    const store = sources.storeHealthy();
    const events = sources.eventsConnected();
    const problems = sources.platformProblems?.() ?? {};
    const degraded = Object.keys(problems).length > 0;
    // A degraded platform still handles its events (an HTTP-mode Slack must keep receiving them),
    // so it does not take the bot out of service: 200, with the status and the reason.
    const ready = store && events;
    sendJson(response, ready ? 200 : 503, {
      status: ready ? (degraded ? "degraded" : "ready") : "not ready",
      store: store ? "open" : "closed",
      events: events ? "connected" : "disconnected",
      ...(sources.heldLeases ? { leases: sources.heldLeases() } : {}),
      ...(degraded ? { platforms: problems } : {}),
    });
  });
}

/** Both, on one server; readiness answers loopback only unless `access` says otherwise. */
export function registerHealthRoutes(
  server: HttpServer,
  sources: HealthSources,
  access?: OperationsAccess,
): void {
  registerLiveness(server);
  registerReadiness(server, sources, access);
}
