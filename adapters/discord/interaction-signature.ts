import { createPublicKey, type KeyObject, verify } from "node:crypto";
import type { IncomingMessage } from "node:http";

// DER SubjectPublicKeyInfo header for an Ed25519 key; the raw 32 bytes follow it.
const ed25519SpkiPrefix = Buffer.from("302a300506032b6570032100", "hex");

/** The application's public key (64 hex characters, as the Developer Portal shows it). */
export function interactionKey(publicKeyHex: string): KeyObject {
  const raw = Buffer.from(publicKeyHex, "hex");
  if (raw.length !== 32) throw new TypeError("DISCORD_PUBLIC_KEY must be 64 hex characters");
  return createPublicKey({
    key: Buffer.concat([ed25519SpkiPrefix, raw]),
    format: "der",
    type: "spki",
  });
}

/** Discord signs the timestamp header followed by the raw body. */
export function signatureIsValid(
  key: KeyObject,
  signatureHex: string,
  timestamp: string,
  body: Buffer,
): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signatureHex)) return false;
  const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), body]);
  try {
    return verify(null, signed, key, Buffer.from(signatureHex, "hex"));
  } catch {
    return false;
  }
}

/** The body, or undefined once it passes `limit` bytes (the rest is not read). */
export async function readBodyAtMost(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
