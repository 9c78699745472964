import { randomBytes } from "node:crypto";
import type { CoordinationStore } from "../coordination/coordination.ts";

const secretKey = "media-signing-secret";

/**
 * The media signing key every instance on one database uses, so a link one signs another serves:
 * made once by whichever instance starts first, kept among the coordination store's shared values.
 */
export async function sharedSigningSecret(coordination: CoordinationStore): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await coordination.getValue(secretKey);
    if (existing && existing.value.length >= 32) return existing.value;
    const fresh = randomBytes(32).toString("hex");
    const written = await coordination.compareAndSetValue(
      secretKey,
      existing ? existing.version : "absent",
      fresh,
    );
    if (written) return written.value;
  }
  throw new Error("Could not agree on the media signing key with the other instances.");
}
