import { z } from "zod";
import type { CoordinationStore } from "../../src/coordination/coordination.ts";

/** An interaction whose token can still edit its original response (15 minutes, minus a margin). */
export interface RememberedInteraction {
  token: string;
  applicationId: string;
  createdAt: number;
  attachmentSizeLimit?: number;
}

const rememberedSchema = z.object({
  token: z.string(),
  applicationId: z.string(),
  createdAt: z.number(),
  attachmentSizeLimit: z.number().optional(),
});

/** Discord's lifetime of an interaction token. */
const tokenLifetimeMs = 15 * 60_000;

/**
 * Interaction tokens, kept in the coordination store for their 15 minutes, so whichever instance
 * runs the job can edit the card and send follow-ups for an interaction another instance received.
 * The ones this process saw are also kept here, for the synchronous upload-limit question.
 */
export class InteractionTokens {
  readonly #coordination: CoordinationStore;
  readonly #now: () => number;
  readonly #local = new Map<string, RememberedInteraction>();

  constructor(coordination: CoordinationStore, now: () => number) {
    this.#coordination = coordination;
    this.#now = now;
  }

  async remember(interactionId: string, interaction: RememberedInteraction): Promise<void> {
    this.#prune();
    this.#local.set(interactionId, interaction);
    const ttlMs = Math.max(1, Math.round(interaction.createdAt + tokenLifetimeMs - this.#now()));
    await this.#coordination.setValue(keyOf(interactionId), JSON.stringify(interaction), { ttlMs });
  }

  /** This process's copy, else the shared one; undefined once the token has lapsed. */
  async recall(interactionId: string | undefined): Promise<RememberedInteraction | undefined> {
    if (interactionId === undefined) return undefined;
    const local = this.known(interactionId);
    if (local) return local;
    const stored = await this.#coordination.getValue(keyOf(interactionId));
    if (!stored) return undefined;
    const parsed = rememberedSchema.safeParse(JSON.parse(stored.value));
    if (!parsed.success) return undefined;
    const { attachmentSizeLimit, ...rest } = parsed.data;
    return attachmentSizeLimit === undefined ? rest : { ...rest, attachmentSizeLimit };
  }

  /** Only what this process saw (no store read). */
  known(interactionId: string | undefined): RememberedInteraction | undefined {
    return interactionId === undefined ? undefined : this.#local.get(interactionId);
  }

  /** In insertion (so time) order: drop from the front until an entry is young enough. */
  #prune(): void {
    const oldest = this.#now() - tokenLifetimeMs;
    for (const [id, value] of this.#local) {
      if (value.createdAt >= oldest) return;
      this.#local.delete(id);
    }
  }
}

function keyOf(interactionId: string): string {
  return `discord:interaction-token:${interactionId}`;
}
