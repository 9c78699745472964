import { randomBytes } from "node:crypto";
import { type Sleep, sleep } from "../http/sleep.ts";
import type { CoordinationStore } from "./coordination.ts";

/**
 * At most one session start per bucket per window, across every instance sharing the store: Discord
 * lets a bot identify `max_concurrency` shards per 5 s, one per bucket (`shard id % max_concurrency`).
 */
export class StartSlots {
  readonly #coordination: CoordinationStore;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #holder = `start:${randomBytes(9).toString("base64url")}`;

  constructor(
    coordination: CoordinationStore,
    options: { windowMs?: number; now?: () => number; sleep?: Sleep } = {},
  ) {
    this.#coordination = coordination;
    this.#windowMs = options.windowMs ?? 5_000;
    this.#now = options.now ?? (() => Date.now());
    this.#sleep = options.sleep ?? sleep;
  }

  /** Resolves when this instance may start a session in `bucket`; throws once `signal` aborts. */
  async waitForTurn(bucket: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const claim = await this.#coordination.claimKey(
        `start-slot:${bucket}`,
        this.#holder,
        this.#windowMs,
      );
      if (claim.claimed) return;
      await this.#sleep(Math.max(1, claim.expiresAt - this.#now()), signal);
    }
  }
}
