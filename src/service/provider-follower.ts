import type { CoordinationStore } from "../coordination/coordination.ts";
import { LeaseKeeper } from "../coordination/lease-keeper.ts";
import type { LeaseTimings } from "../coordination/lease-timings.ts";
import type { JobUpdates } from "./job-updates.ts";
import type { ServiceContext } from "./service-context.ts";
import type { Sweep } from "./sweep.ts";

/** The name of the lease whose holder follows the provider. */
export const providerLeaseName = "provider-follower";

/** What instances sharing one database need to take turns; absent, this process is alone (embedded). */
export interface SharedInstance {
  id: string;
  coordination: CoordinationStore;
  timings: LeaseTimings;
}

/**
 * Exactly one instance follows the provider: it opens the event stream and runs the sweep. Alone (the
 * embedded store), this process always does. Sharing a database, the instance holding the
 * `provider-follower` lease does; a standby that takes the lease over sweeps first, so a completion that
 * arrived while nobody followed is not lost. A holder that loses the lease ignores its stream's events (they
 * are the new holder's to apply) and stops sweeping until it wins the lease back.
 */
export class ProviderFollower {
  readonly #context: ServiceContext;
  readonly #sweep: Sweep;
  readonly #updates: JobUpdates;
  readonly #connection: (connected: boolean) => void;
  readonly #keeper: LeaseKeeper | undefined;
  #providerStarted = false;
  #following = false;

  constructor(
    context: ServiceContext,
    parts: { sweep: Sweep; updates: JobUpdates; connection: (connected: boolean) => void },
    shared: SharedInstance | undefined,
  ) {
    this.#context = context;
    this.#sweep = parts.sweep;
    this.#updates = parts.updates;
    this.#connection = parts.connection;
    this.#keeper =
      shared &&
      new LeaseKeeper({
        coordination: shared.coordination,
        name: providerLeaseName,
        holder: shared.id,
        timings: shared.timings,
        logger: context.logger,
        now: context.now,
        onAcquired: () => this.#follow(),
        onLost: async () => this.#unfollow(),
      });
    if (this.#keeper) this.#sweep.pause();
  }

  /** Alone: follows at once. Shared: the first try for the lease; standbys keep trying in the background. */
  async start(): Promise<void> {
    if (this.#keeper) await this.#keeper.start();
    else await this.#follow();
  }

  async stop(): Promise<void> {
    await this.#keeper?.stop();
    this.#following = false;
    if (this.#providerStarted) await this.#context.provider.stop();
    this.#providerStarted = false;
  }

  isFollowing(): boolean {
    return this.#following;
  }

  /** A follower is ready with its stream connected; a standby is ready as it is. */
  isReady(): boolean {
    return !this.#following || this.#context.provider.isConnected();
  }

  /** The follower lease while held (alone, it is always held: no lease is needed). */
  heldLeases(): string[] {
    const lease = this.#keeper?.held();
    return lease ? [`${lease.name}#${lease.token}`] : [];
  }

  async #follow(): Promise<void> {
    const { provider, logger } = this.#context;
    this.#following = true;
    this.#sweep.resume();
    if (!this.#providerStarted) {
      this.#providerStarted = true;
      await provider.start({
        onUpdate: (update) => {
          if (!this.#following) return;
          void this.#updates
            .apply(update)
            .catch((error: unknown) => logger.error({ err: error }, "update failed"));
        },
        onConnected: () => {
          this.#connection(true);
          void this.#sweep.run();
        },
        onDisconnected: (reason) => {
          this.#connection(false);
          logger.warn({ reason }, "provider event stream lost");
        },
      });
    }
    // Taking over: what completed while nobody followed is found by asking about every pending job.
    if (this.#keeper) await this.#sweep.run();
  }

  #unfollow(): void {
    this.#following = false;
    this.#sweep.pause();
  }
}
