import type { IncomingMedia } from "../../commands/index.ts";
import type { CoordinationStore } from "../../src/coordination/coordination.ts";

/** Forms are answered within Discord's 15 minutes of the interaction, or not at all. */
const formLifetimeMs = 16 * 60_000;
const taken = "";

/**
 * The media of a message a form was opened on ("Animate"), until the form is sent. Kept in the
 * coordination store, so the instance that receives the form need not be the one that opened it,
 * and taken once: a second instance taking the same form gets nothing.
 */
export class FormMemory {
  readonly #coordination: CoordinationStore;

  constructor(coordination: CoordinationStore) {
    this.#coordination = coordination;
  }

  async remember(formId: string, media: IncomingMedia[]): Promise<void> {
    await this.#coordination.setValue(keyOf(formId), JSON.stringify(media), {
      ttlMs: formLifetimeMs,
    });
  }

  async take(formId: string): Promise<IncomingMedia[] | undefined> {
    const key = keyOf(formId);
    const stored = await this.#coordination.getValue(key);
    if (!stored || stored.value === taken) return undefined;
    const claimed = await this.#coordination.compareAndSetValue(key, stored.version, taken, {
      ttlMs: formLifetimeMs,
    });
    return claimed ? (JSON.parse(stored.value) as IncomingMedia[]) : undefined;
  }
}

function keyOf(formId: string): string {
  return `discord:form:${formId}`;
}
