import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../logger.ts";
import type { UnifiedTaskDialectName } from "./unified-task-dialects.ts";
import { callbackBodySchema } from "./unified-task-schemas.ts";

/** What became of one callback. */
export interface CallbackOutcome {
  /** The body named a task and a fresh read of it was started (or it was already under way). */
  accepted: boolean;
  providerJobId?: string;
  reason?: string;
}

/** A POST route for the bot's HTTP server; `path` is a prefix (it ends with "/"). */
export interface CallbackRoute {
  path: string;
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
}

const maxBodyBytes = 256 * 1024;
const idPattern = /^[\w.-]{1,200}$/;

/** `/provider-callbacks/<dialect>/`: where the provider's callbacks land, before the secret. */
export function callbackRoutePath(dialect: UnifiedTaskDialectName): string {
  return `/provider-callbacks/${dialect}/`;
}

/**
 * The secret last path segment. Neither API signs its callbacks, so an unguessable URL keeps
 * strangers from making us read tasks; derived from the API key so it survives restarts (callbacks
 * for tasks created before one must still land) without another variable.
 */
export function callbackSecret(apiKey: string): string {
  return createHmac("sha256", apiKey)
    .update("seedance-bot provider callback")
    .digest("base64url")
    .slice(0, 32);
}

/** Picks the task id out of a callback body; everything else in it is ignored. */
export function callbackTaskId(body: unknown): { id: string } | { reason: string } {
  const parsed = callbackBodySchema.safeParse(body);
  if (!parsed.success) return { reason: "the body names no task id" };
  if (!idPattern.test(parsed.data.id)) return { reason: "the task id has unexpected characters" };
  return { id: parsed.data.id };
}

/**
 * The HTTP side of callbacks: checks the secret (404 otherwise, revealing nothing), reads at most
 * 256 KB of JSON and hands it to `handle`, answering at once (the provider waits only 10 s and the
 * re-read happens in the background).
 */
export function createCallbackRoute(options: {
  path: string;
  secret: string;
  handle: (body: unknown) => CallbackOutcome;
  logger: Logger;
}): CallbackRoute {
  const expected = Buffer.from(options.secret);
  return {
    path: options.path,
    async handler(request, response) {
      const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
      const given = Buffer.from(pathname.slice(options.path.length));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        request.resume();
        reply(response, 404, { error: "Not found" });
        return;
      }
      const text = await readBody(request);
      if (text === undefined) {
        response.setHeader("connection", "close");
        reply(response, 413, { error: "The body is too large" });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        reply(response, 400, { error: "The body is not JSON" });
        return;
      }
      const outcome = options.handle(body);
      if (!outcome.accepted) {
        options.logger.warn({ reason: outcome.reason }, "ignored a provider callback");
        reply(response, 400, { error: outcome.reason ?? "Not accepted" });
        return;
      }
      reply(response, 200, { received: true });
    },
  };
}

/** The body as text, or undefined past `maxBodyBytes` (the rest is drained and dropped). */
function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        chunks.length = 0;
        resolve(undefined);
      } else {
        chunks.push(chunk);
      }
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
