import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type APIInteraction,
  type APIInteractionResponse,
  InteractionResponseType,
  InteractionType,
} from "discord.js";
import { z } from "zod";
import type { Logger } from "../../src/logger.ts";
import { type HttpServer, sendJson } from "../../src/server/http-server.ts";
import type { InitialAnswer } from "./interaction-responder.ts";
import { interactionKey, readBodyAtMost, signatureIsValid } from "./interaction-signature.ts";

export interface HttpInteractionsOptions {
  server: HttpServer;
  /** DISCORD_PUBLIC_KEY: the application's Ed25519 public key, 64 hex characters. */
  publicKey: string;
  /**
   * The one handler for raw interactions (the gateway's too). Its first answer, given through
   * `answer`, becomes this request's HTTP response; `deferredByEndpoint` tells it the endpoint
   * answered "thinking…" itself because the handler had not answered in time.
   */
  receive: (
    interaction: APIInteraction,
    transport: { answer: InitialAnswer; deferredByEndpoint: Promise<void> },
  ) => Promise<void>;
  logger: Logger;
  /** Default `/discord/interactions`: the Interactions Endpoint URL's path. */
  path?: string;
  /** The largest body read; Discord's interactions are far smaller. */
  maxBodyBytes?: number;
  /** When the endpoint answers by itself (deferred) if no handler has yet; Discord waits 3 s. */
  answerWithinMs?: number;
  /** The clock a signature's timestamp is checked against (a replayed old request is refused). */
  now?: () => number;
}

/** How far a signed timestamp may be from this clock, either way. */
const timestampToleranceMs = 5 * 60_000;

const payloadSchema = z.looseObject({
  type: z.number().int(),
  id: z.string().regex(/^\d+$/).optional(),
  token: z.string().optional(),
  application_id: z.string().optional(),
});

/**
 * `POST /discord/interactions`: Discord's interactions over HTTP, checked against the application's
 * public key and handed, as the raw payload, to the same handler as the gateway's. The handler's
 * first answer (defer, reply, form, choices) is this request's response; edits and follow-ups go
 * over REST through the interaction's webhook, from any instance.
 */
export function mountHttpInteractions(options: HttpInteractionsOptions): void {
  const { logger } = options;
  const key = interactionKey(options.publicKey);
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
  const answerWithinMs = options.answerWithinMs ?? 2500;
  const now = options.now ?? Date.now;

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
    if (!(Math.abs(now() - Number(timestamp) * 1000) <= timestampToleranceMs))
      return refuse(response, 401, "its signed timestamp is more than 5 minutes off");
    let data: z.infer<typeof payloadSchema>;
    try {
      data = payloadSchema.parse(JSON.parse(body.toString("utf8")));
    } catch {
      return refuse(response, 400, "its body is not an interaction");
    }
    if (data.type === InteractionType.Ping) return sendJson(response, 200, { type: 1 });
    if (!data.id || !data.token || !data.application_id)
      return refuse(response, 400, "it names no interaction");
    let answered = false;
    let resolveAnswer: (answer: APIInteractionResponse) => void = () => undefined;
    let resolveDeferred: () => void = () => undefined;
    const first = new Promise<APIInteractionResponse>((resolve) => {
      resolveAnswer = resolve;
    });
    const deferredByEndpoint = new Promise<void>((resolve) => {
      resolveDeferred = resolve;
    });
    const timer = setTimeout(() => {
      if (answered) return;
      answered = true;
      resolveAnswer(lateAnswer(data.type));
      resolveDeferred();
    }, answerWithinMs);
    timer.unref();
    const answer: InitialAnswer = async (body) => {
      if (answered) throw new Error("The interaction's HTTP request was already answered.");
      answered = true;
      clearTimeout(timer);
      resolveAnswer(body);
    };
    options
      .receive(data as unknown as APIInteraction, { answer, deferredByEndpoint })
      .catch((error: unknown) => logger.error({ err: error }, "Discord interaction failed"))
      // A handler that ends without answering (an unknown command) still gets Discord its answer.
      .finally(() => {
        if (!answered) {
          answered = true;
          clearTimeout(timer);
          resolveAnswer(silentAnswer(data.type));
        }
      });
    sendJson(response, 200, await first);
  }

  function refuse(response: ServerResponse, status: number, reason: string): void {
    logger.warn(`Refused a Discord interaction request: ${reason}`);
    sendJson(response, status, { error: reason });
  }
}

/** Discord's 3 s are running out: "thinking…", which the handler edits later (no choices wait). */
function lateAnswer(type: number): APIInteractionResponse {
  if (type === InteractionType.ApplicationCommandAutocomplete)
    return {
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [] },
    };
  return { type: InteractionResponseType.DeferredChannelMessageWithSource };
}

/** The handler ended without a word (a stale button): acknowledged, and nothing shown. */
function silentAnswer(type: number): APIInteractionResponse {
  if (type === InteractionType.MessageComponent)
    return { type: InteractionResponseType.DeferredMessageUpdate };
  return lateAnswer(type);
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
