import type { Client } from "discord.js";
import type { Job } from "../../src/jobs/job.ts";
import type { Logger } from "../../src/logger.ts";
import type { ChatMetrics } from "../../src/observability/chat-metrics.ts";
import type { GenerationServicePort } from "../../src/service/generation-service-port.ts";
import type { FormMemory } from "./form-memory.ts";
import type { InteractionTokens } from "./interaction-tokens.ts";

export const interactionTokenLifetimeMs = 14 * 60_000;
/** Progress-only edits closer together than this are skipped (Discord rate-limits edits). */
export const progressEditIntervalMs = 2_500;
const forgetAfterMs = 16 * 60_000;

/** Short-lived facts only this process knows; losing them on restart only costs a fallback path. */
export class AdapterMemory {
  readonly #cards = new Map<string, { state: string; at: number; messageId: string }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** The last card edit per job, so bursts of progress updates become one edit per interval. */
  lastCard(jobId: string): { state: string; at: number; messageId: string } | undefined {
    return this.#cards.get(jobId);
  }

  rememberCard(jobId: string, state: string, messageId: string): void {
    this.#prune();
    // Re-inserted so the map stays ordered by time, which pruning relies on.
    this.#cards.delete(jobId);
    this.#cards.set(jobId, { state, at: this.#now(), messageId });
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
