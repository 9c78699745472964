import type { Logger } from "../logger.ts";
import type { CoordinationStore, Lease } from "./coordination.ts";
import { assertLeaseTimings, type LeaseTimings } from "./lease-timings.ts";

export interface LeaseKeeperOptions {
  coordination: CoordinationStore;
  name: string;
  holder: string;
  timings: LeaseTimings;
  logger: Logger;
  now?: () => number;
  /** The lease was taken (a new fencing token); runs before the next renewal. */
  onAcquired(lease: Lease): Promise<void>;
  /** The lease lapsed or was taken by another holder. */
  onLost(): Promise<void>;
}

/**
 * Holds one named lease for as long as it can: tries to take it every `retryMs`, renews it every `renewMs`
 * while held, and says when it is won and lost. A renewal that fails for want of the database keeps the lease
 * while the next renewal may still come in time, then gives it up before it lapses for everyone else.
 */
export class LeaseKeeper {
  readonly #options: LeaseKeeperOptions;
  readonly #now: () => number;
  #held: Lease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #stopped = false;

  constructor(options: LeaseKeeperOptions) {
    assertLeaseTimings(options.timings);
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
  }

  /** The lease while this instance holds it. */
  held(): Lease | undefined {
    return this.#held;
  }

  /** Tries at once; resolves after the first attempt (and its `onAcquired`). */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#run();
  }

  /** Stops trying and gives the lease up, so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    const held = this.#held;
    if (!held) return;
    this.#held = undefined;
    await this.#options.onLost();
    await this.#options.coordination
      .releaseLease(held.name, held.holder)
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: error, lease: held.name }, "could not release a lease"),
      );
  }

  #run(): Promise<void> {
    this.#tick = this.#attempt().finally(() => {
      this.#tick = undefined;
      if (this.#stopped) return;
      const { renewMs, retryMs } = this.#options.timings;
      this.#timer = setTimeout(() => void this.#run(), this.#held ? renewMs : retryMs);
      this.#timer.unref();
    });
    return this.#tick;
  }

  async #attempt(): Promise<void> {
    const { coordination, name, holder, timings, logger } = this.#options;
    const held = this.#held;
    let lease: Lease | undefined;
    try {
      lease = held
        ? await coordination.renewLease(name, holder, timings.ttlMs)
        : await coordination.acquireLease(name, holder, timings.ttlMs);
    } catch (error) {
      logger.warn({ err: error, lease: name }, "could not reach the coordination store");
      // Given up before it lapses, so a standby that takes it over never overlaps with this holder.
      if (held && held.expiresAt - this.#now() <= timings.renewMs) await this.#lose();
      return;
    }
    if (held && !lease) return await this.#lose();
    if (!lease || this.#stopped) return;
    this.#held = lease;
    if (held) return;
    logger.info({ lease: name, fence: lease.token }, "lease acquired");
    try {
      await this.#options.onAcquired(lease);
    } catch (error) {
      logger.error({ err: error, lease: name }, "taking over a lease failed");
    }
  }

  async #lose(): Promise<void> {
    this.#held = undefined;
    this.#options.logger.warn({ lease: this.#options.name }, "lease lost");
    await this.#options.onLost();
  }
}
