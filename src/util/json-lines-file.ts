import { appendFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { z } from "zod";
import { privateFileMode, privateFolderMode } from "./data-permissions.ts";

/**
 * The records of an append-only JSON-lines file that `schema` accepts, in order. A missing file
 * is empty; a line that does not parse (the last one, cut by a crash mid-write) is skipped.
 */
export async function readJsonLines<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const records: T[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      if (parsed.success) records.push(parsed.data);
    } catch {
      // A torn line: skipped.
    }
  }
  return records;
}

/**
 * One append-only JSON-lines file, private to the bot's user (0600, in a 0700 folder). Appends
 * are written in call order; `rewrite` replaces the whole file atomically (compaction).
 */
export class JsonLinesFile {
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();
  #ready: Promise<unknown> | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  #folder(): Promise<unknown> {
    this.#ready ??= mkdir(dirname(this.#path), { recursive: true, mode: privateFolderMode });
    return this.#ready;
  }

  #enqueue(write: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(() => this.#folder()).then(write);
    // One failed write does not stop the ones after it; its caller sees the error.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  append(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    return this.#enqueue(() => appendFile(this.#path, line, { mode: privateFileMode }));
  }

  rewrite(records: readonly unknown[]): Promise<void> {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join("");
    const temporary = `${this.#path}.tmp`;
    return this.#enqueue(async () => {
      await writeFile(temporary, text, { mode: privateFileMode });
      await rename(temporary, this.#path);
    });
  }

  /** Settles once every write asked for so far has finished. */
  idle(): Promise<unknown> {
    return this.#queue;
  }
}
