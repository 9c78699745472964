import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { privateFileMode, privateFolderMode } from "../util/data-permissions.ts";
import { mediaIdPattern } from "./signed-url.ts";

/** What is kept beside each file, so a restart keeps serving and sweeping it. */
const storedMediaSchema = z.object({
  contentType: z.string().min(1),
  fileName: z.string(),
  expiresAt: z.number().int().nonnegative(),
});
export type StoredMedia = z.infer<typeof storedMediaSchema>;

const metadataSuffix = ".json";

/** Files the media host owns, under one directory: `<id>` holds the bytes, `<id>.json` the rest. */
export class MediaDirectory {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  newId(): string {
    return randomBytes(18).toString("base64url");
  }

  fileOf(id: string): string {
    return join(this.path, id);
  }

  async save(id: string, source: { path: string } | { bytes: Uint8Array }, metadata: StoredMedia) {
    await mkdir(this.path, { recursive: true, mode: privateFolderMode });
    const file = this.fileOf(id);
    const options = { flag: "wx", mode: privateFileMode } as const;
    if ("bytes" in source) await writeFile(file, source.bytes, options);
    else {
      // A copy takes its source's mode.
      await copyFile(source.path, file);
      await chmod(file, privateFileMode);
    }
    // Written last: a file without its metadata is never served, and the sweep removes it.
    await writeFile(`${file}${metadataSuffix}`, JSON.stringify(metadata), options);
  }

  async read(id: string): Promise<StoredMedia | undefined> {
    if (!mediaIdPattern.test(id)) return undefined;
    const text = await readFile(`${this.fileOf(id)}${metadataSuffix}`, "utf8").catch(() => "");
    try {
      const parsed = storedMediaSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(id: string): Promise<void> {
    await rm(`${this.fileOf(id)}${metadataSuffix}`, { force: true });
    await rm(this.fileOf(id), { force: true });
  }

  /** Deletes expired files, and leftovers of interrupted saves older than `orphanAgeMs`. */
  async sweep(now: number, orphanAgeMs: number): Promise<number> {
    const names = await readdir(this.path).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      if (!mediaIdPattern.test(name)) continue;
      const metadata = await this.read(name);
      const expired = metadata
        ? metadata.expiresAt <= now
        : ((await stat(this.fileOf(name)).catch(() => undefined))?.mtimeMs ?? now) <
          now - orphanAgeMs;
      if (!expired) continue;
      await this.remove(name);
      removed += 1;
    }
    return removed;
  }
}
