/** Progress-only card edits closer together than this are skipped (chat.update is rate-limited). */
export const progressEditIntervalMs = 2_500;
/** Cards older than this are forgotten (found again from their messages). */
const rememberForMs = 10 * 60_000;

/**
 * Short-lived facts only this process knows: throttles for card edits and user names. Losing them
 * costs nothing: cards are found from their messages. Which event was handled is decided in the
 * core's coordination store (`isFirstDelivery`), shared by every instance.
 */
export class SlackMemory {
  readonly #cards = new Map<string, { state: string; at: number; messageId: string }>();
  readonly #names = new Map<string, string>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  lastCard(jobId: string): { state: string; at: number; messageId: string } | undefined {
    return this.#cards.get(jobId);
  }

  rememberCard(jobId: string, state: string, messageId: string): void {
    this.#prune();
    this.#cards.set(jobId, { state, at: this.#now(), messageId });
  }

  userName(userId: string): string | undefined {
    return this.#names.get(userId);
  }

  rememberUserName(userId: string, name: string): void {
    if (this.#names.size > 10_000) this.#names.clear();
    this.#names.set(userId, name);
  }

  #prune(): void {
    const oldest = this.#now() - rememberForMs;
    for (const [key, card] of this.#cards) if (card.at < oldest) this.#cards.delete(key);
  }
}
