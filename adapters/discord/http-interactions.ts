import type { IncomingMessage, ServerResponse } from "node:http";
import type { Client } from "discord.js";
import { InteractionResponseType, InteractionType } from "discord.js";
import { z } from "zod";
import type { Logger } from "../../src/logger.ts";
import { type HttpServer, sendJson } from "../../src/server/http-server.ts";
import { interactionKey, readBodyAtMost, signatureIsValid } from "./interaction-signature.ts";

export interface HttpInteractionsOptions {
  server: HttpServer;
  /** DISCORD_PUBLIC_KEY: the application's Ed25519 public key, 64 hex characters. */
  publicKey: string;
  client: Client;
  logger: Logger;
  /** Default `/discord/interactions`: the Interactions Endpoint URL's path. */
  path?: string;
  /** The largest body read; Discord's interactions are far smaller. */
  maxBodyBytes?: number;
  /** When the endpoint answers by itself (deferred) if no handler has yet; Discord waits 3 s. */
  answerWithinMs?: number;
}

const payloadSchema = z.looseObject({
  type: z.number().int(),
  id: z.string().optional(),
  token: z.string().optional(),
});

type Answer = (body: unknown) => void;

interface ClientActions {
  actions: { InteractionCreate: { handle(data: unknown): void } };
}

const callbackRoute = /^\/interactions\/(\d+)\/[^/]+\/callback$/;

/**
 * `POST /discord/interactions`: Discord's interactions over HTTP, checked against the application's
 * public key and handed to the same discord.js handlers as the gateway's. The first answer a
 * handler gives (defer, reply, modal, choices) becomes this request's HTTP response instead of a
 * REST callback; edits and follow-ups go over REST as usual, through the interaction's webhook.
 */
export function mountHttpInteractions(options: HttpInteractionsOptions): void {
  const { client, logger } = options;
  const key = interactionKey(options.publicKey);
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const answerWithinMs = options.answerWithinMs ?? 2500;
  const pending = new Map<string, Answer>();
  const answeredEarly = new Set<string>();

  const post = client.rest.post.bind(client.rest);
  client.rest.post = async (route, request) => {
    const id = callbackRoute.exec(route)?.[1];
    const answer = id ? pending.get(id) : undefined;
    if (id && answer && !request?.files?.length) {
      answer(request?.body);
      return undefined;
    }
    if (id && answeredEarly.delete(id)) {
      // Already deferred by the endpoint: a handler's own defer has nothing left to do.
      const type = (request?.body as { type?: number } | undefined)?.type;
      const isDefer =
        type === InteractionResponseType.DeferredChannelMessageWithSource ||
        type === InteractionResponseType.DeferredMessageUpdate;
      if (isDefer) return undefined;
    }
    return post(route, request);
  };

  options.server.route("POST", options.path ?? "/discord/interactions", (request, response) =>
    handle(request, response),
  );

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const signature = header(request, "x-signature-ed25519");
    const timestamp = header(request, "x-signature-timestamp");
    if (!signature || !timestamp) return refuse(response, 401, "it is not signed");
    if (Number(request.headers["content-length"]) > maxBodyBytes)
      return refuse(response, 413, "its body is too large");
    const body = await readBodyAtMost(request, maxBodyBytes);
    if (!body) return refuse(response, 413, "its body is too large");
    if (!signatureIsValid(key, signature, timestamp, body))
      return refuse(response, 401, "its signature does not match DISCORD_PUBLIC_KEY");
    let data: z.infer<typeof payloadSchema>;
    try {
      data = payloadSchema.parse(JSON.parse(body.toString("utf8")));
    } catch {
      return refuse(response, 400, "its body is not an interaction");
    }
    if (data.type === InteractionType.Ping) return sendJson(response, 200, { type: 1 });
    if (!data.id || !data.token) return refuse(response, 400, "it names no interaction");
    const id = data.id;
    const answered = new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => {
        answeredEarly.add(id);
        resolve({ type: deferredTypeFor(data.type) });
      }, answerWithinMs);
      timer.unref();
      pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
    try {
      (client as unknown as ClientActions).actions.InteractionCreate.handle(data);
    } catch (error) {
      logger.error({ err: error }, "Discord interaction failed");
    }
    const answer = await answered;
    pending.delete(id);
    sendJson(response, 200, answer);
    // A later defer from the handler is swallowed only for a minute; then the mark goes.
    if (answeredEarly.has(id)) setTimeout(() => answeredEarly.delete(id), 60_000).unref();
  }

  function refuse(response: ServerResponse, status: number, reason: string): void {
    logger.warn(`Refused a Discord interaction request: ${reason}`);
    sendJson(response, status, { error: reason });
  }
}

function deferredTypeFor(type: number): number {
  return type === InteractionType.MessageComponent
    ? InteractionResponseType.DeferredMessageUpdate
    : InteractionResponseType.DeferredChannelMessageWithSource;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
