import type { IncomingMessage, ServerResponse } from "node:http";
import { parse } from "node:querystring";
import {
  type App,
  type Logger as BoltLogger,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from "@slack/bolt";
import type { HttpServer } from "../../src/server/http-server.ts";

export interface BotServerReceiverOptions {
  server: HttpServer;
  /** SLACK_SIGNING_SECRET. */
  signingSecret: string;
  logger: BoltLogger;
  /** Default `/slack/events`: events, slash commands and interactivity all arrive here. */
  path?: string;
  /** Hold the HTTP answer until the listener finishes (tests); Slack wants it within 3 s. */
  processBeforeResponse?: boolean;
  now?: () => number;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

function answer(response: ServerResponse, status: number): void {
  response.writeHead(status);
  response.end();
}

/**
 * Bolt's HTTP receiving, mounted on the bot's own HTTP server instead of a second port: each
 * request is verified (HMAC of the raw body, timestamp at most 5 minutes old) before Bolt sees it.
 */
export class BotServerReceiver implements Receiver {
  readonly #options: BotServerReceiverOptions;
  #app: App | undefined;
  #running = false;

  constructor(options: BotServerReceiverOptions) {
    this.#options = options;
    options.server.route("POST", options.path ?? "/slack/events", (request, response) =>
      this.#handle(request, response),
    );
  }

  init(app: App): void {
    this.#app = app;
  }

  async start(): Promise<void> {
    this.#running = true;
  }

  async stop(): Promise<void> {
    this.#running = false;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { logger, signingSecret } = this.#options;
    const app = this.#app;
    if (!this.#running || !app) return answer(response, 503);
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(
        request,
        HTTPModuleFunctions.defaultBodyLimit,
      );
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      return answer(response, tooLarge ? 413 : 400);
    }
    const rawBody = buffered.rawBody.toString("utf8");
    const isForm = request.headers["content-type"] === "application/x-www-form-urlencoded";
    // Slack's connectivity probe is unsigned and carries nothing to act on.
    if (isForm && parse(rawBody).ssl_check === "1") return answer(response, 200);
    try {
      verifySlackRequest({
        signingSecret,
        body: rawBody,
        headers: {
          "x-slack-signature": header(request, "x-slack-signature") ?? "",
          "x-slack-request-timestamp": Number(header(request, "x-slack-request-timestamp")),
        },
        nowMilliseconds: (this.#options.now ?? Date.now)(),
      });
    } catch (error) {
      logger.warn(`Refused a Slack request: ${(error as Error).message}`);
      return answer(response, 401);
    }
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return answer(response, 400);
    }
    if (body.type === "url_verification") {
      return HTTPModuleFunctions.buildUrlVerificationResponse(response, body);
    }
    await this.#dispatch(app, buffered, body, response);
  }

  async #dispatch(
    app: App,
    request: BufferedIncomingMessage,
    body: Record<string, unknown>,
    response: ServerResponse,
  ): Promise<void> {
    const { logger } = this.#options;
    const ack = new HTTPResponseAck({
      logger,
      processBeforeResponse: this.#options.processBeforeResponse ?? false,
      httpRequest: request,
      httpRequestBody: body,
      httpResponse: response,
    });
    const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(request);
    const retryReason = HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(request);
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      ...(retryNum === undefined ? {} : { retryNum }),
      ...(retryReason === undefined ? {} : { retryReason }),
      customProperties: {},
    };
    try {
      await app.processEvent(event);
      if (ack.storedResponse !== undefined) {
        HTTPModuleFunctions.buildContentResponse(response, ack.storedResponse);
      }
    } catch (error) {
      const acknowledged = await HTTPModuleFunctions.defaultProcessEventErrorHandler({
        error: error as Error,
        logger,
        request,
        response,
        storedResponse: ack.storedResponse,
      });
      if (acknowledged) ack.ack();
    }
  }
}
