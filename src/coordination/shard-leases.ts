import type { Logger } from "../logger.ts";
import type { CoordinationStore, Lease } from "./coordination.ts";
import { assertLeaseTimings, type LeaseTimings } from "./lease-timings.ts";
import { StartSlots } from "./start-slots.ts";

/** What connects and disconnects one shard of a gateway (the Discord adapter's clients). */
export interface ShardConnector {
  connect(shardId: number, shardCount: number): Promise<void>;
  disconnect(shardId: number): Promise<void>;
}

export interface ShardLeasesOptions {
  coordination: CoordinationStore;
  /** This instance. */
  holder: string;
  timings: LeaseTimings;
  logger: Logger;
  /** Names the leases: `<gateway>-shard:<id>`, `<gateway>-member:<holder>`. */
  gateway: string;
  now?: () => number;
}

/**
 * The shards of one gateway, leased among the live instances sharing a store, so each shard is
 * connected by exactly one of them. Every instance keeps a member lease; each takes free shards up
 * to its fair share (shards ÷ members, rounded up) and hands one back per round while it holds more,
 * so a newcomer gets some. A dead instance's shard leases lapse after `ttlMs` and are taken by the
 * others; a holder that cannot renew disconnects before its lease lapses for everyone else.
 */
export class ShardLeases {
  readonly #options: ShardLeasesOptions;
  readonly #now: () => number;
  readonly #held = new Map<number, Lease>();
  readonly #slots: StartSlots;
  #count = 0;
  #connector: ShardConnector | undefined;
  #member: Lease | undefined;
  #timer: NodeJS.Timeout | undefined;
  #round: Promise<void> | undefined;
  #stopped = true;

  constructor(options: ShardLeasesOptions) {
    assertLeaseTimings(options.timings);
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
    this.#slots = new StartSlots(options.coordination, { now: this.#now });
  }

  /**
   * The shard count every instance uses: `configured` when set (and then recorded for the others),
   * else the one recorded by the first instance, else `recommended()` (recorded for the next ones).
   */
  async agreeOnCount(configured: number | undefined, recommended: () => Promise<number>) {
    const { coordination, gateway } = this.#options;
    const key = `${gateway}-shard-count`;
    if (configured !== undefined) {
      await coordination.setValue(key, String(configured));
      return configured;
    }
    const known = await coordination.getValue(key);
    if (known) return Number(known.value);
    const count = await recommended();
    const written = await coordination.compareAndSetValue(key, "absent", String(count));
    return written ? count : Number((await coordination.getValue(key))?.value ?? count);
  }

  /** Waits for this instance's turn to start a session in `bucket` (Discord: shard % max_concurrency). */
  waitForStart(bucket: number, signal?: AbortSignal): Promise<void> {
    return this.#slots.waitForTurn(`${this.#options.gateway}:${bucket}`, signal);
  }

  /** Starts taking shards of `count`; resolves after the first round (its connects run on). */
  async start(count: number, connector: ShardConnector): Promise<void> {
    this.#count = count;
    this.#connector = connector;
    this.#stopped = false;
    await this.#run();
  }

  /** Disconnects every shard and gives the leases up, so the other instances take them at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#round;
    for (const shardId of [...this.#held.keys()]) await this.#giveUp(shardId);
    if (this.#member) await this.#release(this.#member);
    this.#member = undefined;
  }

  heldShards(): number[] {
    return [...this.#held.keys()].sort((a, b) => a - b);
  }

  /** name#token of each lease held, for /readyz. */
  heldLeases(): string[] {
    return [...this.#held.values()].map((lease) => `${lease.name}#${lease.token}`);
  }

  #shardName(shardId: number): string {
    return `${this.#options.gateway}-shard:${shardId}`;
  }

  #run(): Promise<void> {
    this.#round = this.#takeTurn()
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: error }, "could not reach the coordination store"),
      )
      .finally(() => {
        this.#round = undefined;
        if (this.#stopped) return;
        const { renewMs, retryMs } = this.#options.timings;
        this.#timer = setTimeout(() => void this.#run(), Math.min(renewMs, retryMs));
        this.#timer.unref();
      });
    return this.#round;
  }

  async #takeTurn(): Promise<void> {
    const { coordination, holder, timings, gateway } = this.#options;
    await this.#renewHeld();
    this.#member = await coordination.acquireLease(
      `${gateway}-member:${holder}`,
      holder,
      timings.ttlMs,
    );
    const members = await coordination.listLeases({ prefix: `${gateway}-member:` });
    const fairShare = Math.ceil(this.#count / Math.max(1, members.length));
    if (this.#held.size > fairShare) {
      // One per round: the others take it over before the next is handed back.
      const highest = Math.max(...this.#held.keys());
      this.#options.logger.info({ shard: highest, fairShare }, "handing a shard over");
      return await this.#giveUp(highest);
    }
    if (this.#held.size === fairShare) return;
    const taken = new Set(
      (await coordination.listLeases({ prefix: `${gateway}-shard:` })).map((lease) => lease.name),
    );
    for (let shardId = 0; shardId < this.#count && this.#held.size < fairShare; shardId++) {
      const name = this.#shardName(shardId);
      if (taken.has(name) || this.#stopped) continue;
      const lease = await coordination.acquireLease(name, holder, timings.ttlMs);
      if (!lease) continue;
      this.#held.set(shardId, lease);
      this.#options.logger.info({ shard: shardId, fence: lease.token }, "shard lease acquired");
      void this.#connect(shardId);
    }
  }

  async #renewHeld(): Promise<void> {
    const { coordination, holder, timings } = this.#options;
    for (const [shardId, held] of [...this.#held]) {
      let lease: Lease | undefined;
      try {
        lease = await coordination.renewLease(held.name, holder, timings.ttlMs);
      } catch (error) {
        // Disconnected before the lease lapses, so whoever takes it over never overlaps with this one.
        if (held.expiresAt - this.#now() <= timings.renewMs) await this.#lose(shardId);
        throw error;
      }
      if (lease) this.#held.set(shardId, lease);
      else await this.#lose(shardId);
    }
  }

  async #connect(shardId: number): Promise<void> {
    try {
      await this.#connector?.connect(shardId, this.#count);
    } catch (error) {
      this.#options.logger.error({ err: error, shard: shardId }, "could not connect a shard");
      // Given back, so this instance or another tries again on a later round.
      if (this.#held.has(shardId)) await this.#giveUp(shardId);
    }
  }

  async #lose(shardId: number): Promise<void> {
    this.#held.delete(shardId);
    this.#options.logger.warn({ shard: shardId }, "shard lease lost");
    await this.#disconnect(shardId);
  }

  async #giveUp(shardId: number): Promise<void> {
    const lease = this.#held.get(shardId);
    this.#held.delete(shardId);
    await this.#disconnect(shardId);
    if (lease) await this.#release(lease);
  }

  async #disconnect(shardId: number): Promise<void> {
    await this.#connector
      ?.disconnect(shardId)
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: error, shard: shardId }, "could not disconnect a shard"),
      );
  }

  async #release(lease: Lease): Promise<void> {
    await this.#options.coordination
      .releaseLease(lease.name, lease.holder)
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: error, lease: lease.name }, "could not release a lease"),
      );
  }
}
