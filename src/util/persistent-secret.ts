import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";

/**
 * A secret kept in a file of its own (created once, readable by the bot's user only), so links
 * signed before a restart still work after it.
 */
export async function persistentSecret(path: string): Promise<string> {
  const existing = (await readFile(path, "utf8").catch(() => "")).trim();
  if (existing.length >= 32) return existing;
  const secret = randomBytes(32).toString("hex");
  await writeFile(path, secret, { mode: 0o600 });
  return secret;
}
