import { randomBytes } from "node:crypto";
import type { CoordinationStore } from "../coordination/coordination.ts";

/**
 * How long a platform event counts as already handled. Slack retries an event for about five
 * minutes and a Discord gateway resume replays what a session missed over a few minutes; a key is
 * remembered a little longer than either.
 */
export const eventMemoryMs = 10 * 60_000;

/**
 * Who handles a platform event delivered more than once (a Slack retry, a Discord gateway replay,
 * the same event reaching two instances): the first to claim its key, in the coordination store,
 * so the decision holds across every instance sharing one.
 */
export class EventDedupe {
  readonly #coordination: CoordinationStore;
  /** Recorded with each claim: which process (and start) handled the event, for logs. */
  readonly #claimant = `handler:${randomBytes(9).toString("base64url")}`;

  constructor(coordination: CoordinationStore) {
    this.#coordination = coordination;
  }

  /** True the first time the platform's event key is seen; false for every later delivery. */
  async isFirstDelivery(platform: string, eventKey: string): Promise<boolean> {
    const claim = await this.#coordination.claimKey(
      `event:${platform}:${eventKey}`,
      this.#claimant,
      eventMemoryMs,
    );
    return claim.claimed;
  }
}

/** The key of a reaction: who reacted, to which message, with which emoji (the event has no id). */
export function reactionKey(reaction: {
  userId: string;
  messageId: string;
  emoji: string;
}): string {
  return `reaction:${reaction.userId}:${reaction.messageId}:${reaction.emoji}`;
}
