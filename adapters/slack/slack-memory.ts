/** Progress-only card edits closer together than this are skipped (chat.update is rate-limited). */
export const progressEditIntervalMs = 2_500;
/** Slack retries an event for about five minutes; a key is remembered a little longer. */
const rememberForMs = 10 * 60_000;

/**
 * Short-lived facts only this process knows. Losing them on restart costs nothing durable: jobs
 * are deduplicated by the service's idempotency key, and cards are found from their messages.
 */
export class SlackMemory {
  readonly #claims = new Map<string, number>();
  readonly #cards = new Map<string, { state: string; at: number; messageId: string }>();
  readonly #names = new Map<string, string>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * True the first time a key (event id, trigger id) is seen: a retried delivery that arrives while
   * the first is still being handled, or soon after, is dropped here.
   */
  claim(key: string): boolean {
    this.#prune();
    if (this.#claims.has(key)) return false;
    this.#claims.set(key, this.#now());
    return true;
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
    for (const [key, at] of this.#claims) if (at < oldest) this.#claims.delete(key);
    for (const [key, card] of this.#cards) if (card.at < oldest) this.#cards.delete(key);
  }
}
