import type { Entry } from "./entries.ts";

export type TimelineListener = (entry: Entry) => void;

export const maxTimelineEntries = 2000;

/**
 * Every thread's entries, in the order they first appeared. Upserts are idempotent by id, so a
 * repeated event (a retried delivery, a duplicate POST) never shows twice.
 */
export class Timeline {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<TimelineListener>();

  upsert(entry: Entry): void {
    const existing = this.#entries.get(entry.id);
    // A card snapshot older than the one shown is dropped (status calls and POST answers race).
    if (existing?.kind === "card" && entry.kind === "card" && existing.version > entry.version) {
      return;
    }
    this.#entries.set(entry.id, entry);
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= maxTimelineEntries) break;
      this.#entries.delete(id);
    }
    for (const listener of this.#listeners) listener(entry);
  }

  get(id: string): Entry | undefined {
    return this.#entries.get(id);
  }

  list(): Entry[] {
    return [...this.#entries.values()];
  }

  /** Up to `limit` entries just before `beforeId` (the newest when absent), oldest first. */
  page(limit: number, beforeId?: string): { entries: Entry[]; hasOlder: boolean } {
    const all = this.list();
    const end =
      beforeId === undefined ? all.length : all.findIndex((entry) => entry.id === beforeId);
    if (end < 0) return { entries: [], hasOlder: false };
    const start = Math.max(0, end - limit);
    return { entries: all.slice(start, end), hasOlder: start > 0 };
  }

  subscribe(listener: TimelineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
