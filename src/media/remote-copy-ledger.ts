import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { privateFileMode, privateFolderMode } from "../util/data-permissions.ts";

/** One file the bot put on another host, and when it must be gone. */
const remoteCopySchema = z.object({
  path: z.string().min(1),
  expiresAt: z.number().int().nonnegative(),
});
export type RemoteCopy = z.infer<typeof remoteCopySchema>;

const idPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const suffix = ".json";

/**
 * A small record, on disk, of every copy a remote media host holds: written before the upload, so
 * whatever happens next (a failed upload, a crash, a restart) the copy can still be deleted.
 */
export class RemoteCopyLedger {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async add(id: string, copy: RemoteCopy): Promise<void> {
    if (!idPattern.test(id)) throw new RangeError(`Not a copy id: ${id}`);
    await mkdir(this.path, { recursive: true, mode: privateFolderMode });
    await writeFile(join(this.path, `${id}${suffix}`), JSON.stringify(copy), {
      flag: "wx",
      mode: privateFileMode,
    });
  }

  async remove(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    await rm(join(this.path, `${id}${suffix}`), { force: true });
  }

  /** Copies whose time has run out, oldest first (a record being written is skipped). */
  async expired(now: number): Promise<Array<{ id: string; copy: RemoteCopy }>> {
    const names = await readdir(this.path).catch(() => [] as string[]);
    const found: Array<{ id: string; copy: RemoteCopy }> = [];
    for (const name of names) {
      const id = name.slice(0, -suffix.length);
      if (!name.endsWith(suffix) || !idPattern.test(id)) continue;
      const copy = await this.#read(id);
      if (copy && copy.expiresAt <= now) found.push({ id, copy });
    }
    return found.sort((left, right) => left.copy.expiresAt - right.copy.expiresAt);
  }

  async #read(id: string): Promise<RemoteCopy | undefined> {
    try {
      const text = await readFile(join(this.path, `${id}${suffix}`), "utf8");
      const parsed = remoteCopySchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
