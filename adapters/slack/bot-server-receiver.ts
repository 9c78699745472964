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
import type { InstallProvider, InstallURLOptions } from "@slack/oauth";
import type { HttpServer } from "../../src/server/http-server.ts";
import { mountOauthRoutes } from "./slack-oauth.ts";
import {
  answer,
  BodyBudget,
  claimsSignature,
  defaultSlackBodyLimits,
  header,
  isEventBody,
  readBodyAtMost,
  type SlackBodyLimits,
  signatureHeaderProblem,
} from "./slack-request-checks.ts";

export type { SlackBodyLimits } from "./slack-request-checks.ts";

export interface BotServerReceiverOptions {
  server: HttpServer;
  /** SLACK_SIGNING_SECRET. */
  signingSecret: string;
  logger: BoltLogger;
  /** Default `/slack/events`: events, slash commands and interactivity all arrive here. */
  path?: string;
  /** Hold the HTTP answer until the listener finishes (tests); Slack wants it within 3 s. */
  processBeforeResponse?: boolean;
  /** How much of a body is read, signed or not; see `slack-request-checks.ts` for the defaults. */
  bodyLimits?: SlackBodyLimits;
  now?: () => number;
  /** OAuth for many workspaces: the install and redirect routes are served, and Bolt authorizes through it. */
  oauth?: { installer: InstallProvider; installUrlOptions: InstallURLOptions };
}

/**
 * Bolt's HTTP receiving, mounted on the bot's own HTTP server instead of a second port. Before a
 * byte of the body is read, the signature headers must look right and the timestamp be within
 * five minutes of now (either way); the body is then read up to a limit, much smaller without
 * those headers (only Slack's SSL probe comes unsigned), and only while the bodies held at once
 * stay within a budget. The HMAC of the raw body is checked
 * before Bolt sees anything, and a body that is not a JSON object is refused.
 */
export class BotServerReceiver implements Receiver {
  readonly #options: BotServerReceiverOptions;
  readonly #limits: SlackBodyLimits;
  readonly #budget: BodyBudget;
  /** Read by Bolt's App, which then authorizes every event from the installation store. */
  readonly installer: InstallProvider | undefined;
  #app: App | undefined;
  #running = false;

  constructor(options: BotServerReceiverOptions) {
    this.#options = options;
    this.#limits = options.bodyLimits ?? defaultSlackBodyLimits;
    this.#budget = new BodyBudget(this.#limits.heldBytes);
    options.server.route("POST", options.path ?? "/slack/events", (request, response) =>
      this.#handle(request, response),
    );
    this.installer = options.oauth?.installer;
    if (options.oauth) {
      const { installer, installUrlOptions } = options.oauth;
      mountOauthRoutes(options.server, installer, installUrlOptions, () => this.#running);
    }
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
    const { logger } = this.#options;
    const app = this.#app;
    if (!this.#running || !app) return answer(response, 503, { close: true });
    const now = (this.#options.now ?? Date.now)();
    const signed = claimsSignature(request);
    const problem = signed ? signatureHeaderProblem(request, now) : undefined;
    if (problem) {
      logger.warn(`Refused a Slack request: ${problem}`);
      return answer(response, 401, { close: true });
    }
    const limit = signed ? this.#limits.signedBytes : this.#limits.unsignedBytes;
    const declared = Number(request.headers["content-length"]);
    if (declared > limit) return answer(response, 413, { close: true });
    const reserved = Number.isSafeInteger(declared) && declared >= 0 ? declared : limit;
    if (!this.#budget.reserve(reserved)) {
      logger.warn("Refused a Slack request: too many bytes of other requests are being read");
      return answer(response, 503, { close: true, retryAfterSeconds: 1 });
    }
    try {
      await this.#handleBody(app, request, response, { signed, limit, now });
    } finally {
      this.#budget.release(reserved);
    }
  }

  async #handleBody(
    app: App,
    request: IncomingMessage,
    response: ServerResponse,
    { signed, limit, now }: { signed: boolean; limit: number; now: number },
  ): Promise<void> {
    const { logger, signingSecret } = this.#options;
    const raw = await readBodyAtMost(request, limit).catch(() => undefined);
    if (!raw) return answer(response, 413, { close: true });
    const rawBody = raw.toString("utf8");
    if (!signed) {
      // Slack's connectivity probe is unsigned and carries nothing to act on.
      const isForm = request.headers["content-type"] === "application/x-www-form-urlencoded";
      const probe = isForm && parse(rawBody).ssl_check === "1";
      if (!probe) logger.warn("Refused a Slack request: it is not signed");
      return answer(response, probe ? 200 : 401);
    }
    try {
      verifySlackRequest({
        signingSecret,
        body: rawBody,
        headers: {
          "x-slack-signature": header(request, "x-slack-signature") ?? "",
          "x-slack-request-timestamp": Number(header(request, "x-slack-request-timestamp")),
        },
        nowMilliseconds: now,
      });
    } catch (error) {
      logger.warn(`Refused a Slack request: ${(error as Error).message}`);
      return answer(response, 401);
    }
    const buffered: BufferedIncomingMessage = Object.assign(request, { rawBody: raw });
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      body = undefined;
    }
    // Signed by Slack but not an event (`null`, a list, broken JSON): nothing to act on.
    if (!isEventBody(body)) return answer(response, 400);
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
