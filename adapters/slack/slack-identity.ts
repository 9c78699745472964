import type { webApi } from "@slack/bolt";
import { ConfigError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import { identityOf, type SlackIdentity } from "./slack-context.ts";
import { isTransientSlackError, slackErrorCode } from "./slack-errors.ts";

/** The first retry after a failed `auth.test`; each next one waits twice as long, up to a minute. */
export const identityRetryMs = 1_000;
const identityRetryMaxMs = 60_000;

export interface IdentityTimers {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: IdentityTimers = {
  setTimeout: (callback, milliseconds) => {
    const handle = setTimeout(callback, milliseconds);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Who the bot is (bot id, bot user id, team), asked of `auth.test` once at start-up and kept in
 * `identity`, which the adapter's `authorize` hands to Bolt, so no incoming request waits on it.
 * A refused token fails start-up; a Slack that cannot answer yet is asked again in the
 * background, and `problem()` says so until it has answered.
 */
export class SlackIdentityLearner {
  readonly #client: webApi.WebClient;
  readonly #identity: SlackIdentity;
  readonly #logger: Logger;
  readonly #timers: IdentityTimers;
  #problem: string | undefined = "not yet asked Slack who the bot is (auth.test)";
  #timer: unknown;
  #stopped = false;

  constructor(options: {
    client: webApi.WebClient;
    identity: SlackIdentity;
    logger: Logger;
    timers?: IdentityTimers;
  }) {
    this.#client = options.client;
    this.#identity = options.identity;
    this.#logger = options.logger;
    this.#timers = options.timers ?? realTimers;
  }

  /** Why the adapter is not fully ready, or undefined once the identity is known. */
  problem(): string | undefined {
    return this.#problem;
  }

  /** The first `auth.test`; throws only for a refused token, otherwise keeps trying in the background. */
  async learn(): Promise<{ team?: string | undefined; user?: string | undefined } | undefined> {
    this.#stopped = false;
    try {
      return await this.#ask();
    } catch (error) {
      if (!isTransientSlackError(error)) {
        throw new ConfigError(
          `SLACK_BOT_TOKEN was refused by Slack (${slackErrorCode(error)}); copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.`,
        );
      }
      this.#failed(error, identityRetryMs);
      return undefined;
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #ask() {
    const auth = await this.#client.auth.test();
    Object.assign(this.#identity, identityOf(auth));
    this.#problem = undefined;
    return { team: auth.team, user: auth.user };
  }

  #failed(error: unknown, delayMs: number): void {
    this.#problem = `Slack has not said who the bot is yet (auth.test: ${slackErrorCode(error) ?? "no answer"}); retrying`;
    this.#logger.warn(
      { err: error, retryInMs: delayMs },
      "Slack auth.test failed; events are handled meanwhile and it is retried in the background",
    );
    if (this.#stopped) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#ask().then(
        (auth) => this.#logger.info({ team: auth.team, user: auth.user }, "Slack identity learned"),
        (next: unknown) => {
          if (this.#stopped) return;
          // A token refused later stays reported: an operator must replace it.
          this.#failed(next, Math.min(delayMs * 2, identityRetryMaxMs));
        },
      );
    }, delayMs);
  }
}
