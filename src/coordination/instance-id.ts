import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/** INSTANCE_ID when set; else host-pid-random, unique for each start even when a pid is reused. */
export function instanceIdOf(configured: string | undefined): string {
  if (configured) return configured;
  const host =
    hostname()
      .replace(/[^A-Za-z0-9_.-]/g, "-")
      .slice(0, 40) || "host";
  return `${host}-${process.pid}-${randomBytes(3).toString("hex")}`;
}
