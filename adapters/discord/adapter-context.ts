import type { Client } from "discord.js";
import type { Job } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import type { ChatMetrics } from "../../src/observability/chat-metrics.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import type { ChannelHistory } from "./channel-history.ts";
import type { FormMemory } from "./form-memory.ts";
import type { InteractionTokens } from "./interaction-tokens.ts";

export const interactionTokenLifetimeMs = 14 * 60_000;
/** Progress-only edits closer together than this are skipped (Discord rate-limits edits). */
export const progressEditIntervalMs = 2_500;
const forgetAfterMs = 16 * 60_000;
/** A channel's history read for resumed deliveries is kept while they keep asking, then let go. */
const historyIdleMs = 2 * 60_000;

/** Short-lived facts only this process knows; losing them on restart only costs a fallback path. */
export interface RememberedCard {
  state: string;
  at: number;
  messageId: string;
  /** A digest of what the card shows, so an edit that would change nothing is not sent. */
  shown?: string | undefined;
}

export class AdapterMemory {
  readonly #cards = new Map<string, RememberedCard>();
  readonly #histories = new Map<string, ChannelHistory>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The last card edit per job, so bursts of progress updates become one edit per interval. */
  lastCard(jobId: string): RememberedCard | undefined {
    return this.#cards.get(jobId);
  }

  rememberCard(jobId: string, state: string, messageId: string, shown?: string): void {
    this.#prune();
    // Re-inserted so the map stays ordered by time, which pruning relies on.
    this.#cards.delete(jobId);
    this.#cards.set(jobId, { state, at: this.#now(), messageId, shown });
  }

  /** The channel's history shared by the deliveries looking for their posts (made by `create` if new). */
  historyOf(channelId: string, create: () => ChannelHistory): ChannelHistory {
    const oldest = this.#now() - historyIdleMs;
    for (const [id, history] of this.#histories) {
      if (history.usedAt < oldest && !history.busy) this.#histories.delete(id);
    }
    const known = this.#histories.get(channelId);
    if (known) return known;
    const made = create();
    this.#histories.set(channelId, made);
    return made;
  }

  /** The map is in insertion (so time) order: drop from the front until an entry is young enough. */
  #prune(): void {
    const oldest = this.#now() - forgetAfterMs;
    for (const [id, value] of this.#cards) {
      if (value.at >= oldest) return;
      this.#cards.delete(id);
    }
  }
}

/** What the adapter's parts share. */
export interface AdapterContext {
  readonly client: Client;
  readonly service: GenerationServicePort;
  readonly logger: Logger;
  readonly memory: AdapterMemory;
  /** Interaction tokens, in the coordination store (any instance can edit and follow up). */
  readonly tokens: InteractionTokens;
  /** Animate forms waiting to be sent, in the coordination store (any instance can finish one). */
  readonly forms: FormMemory;
  readonly now: () => number;
  readonly metrics: ChatMetrics;
  /** A link for a video too large to upload; defaults to the provider's result URL. */
  readonly videoLink: (job: Job) => Promise<string | undefined>;
}
