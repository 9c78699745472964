import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const algorithm = "aes-256-gcm";
const ivBytes = 12;
const tagBytes = 16;
const version = "v1";

/** Encrypts installation secrets at rest; `context` (the row's key) is authenticated, so rows cannot be swapped. */
export interface TokenCipher {
  encrypt(plain: string, context: string): string;
  /** Throws when the text was not made with this key and context. */
  decrypt(sealed: string, context: string): string;
}

/** A 32-byte key from 64 hex characters or base64 (SLACK_TOKEN_KEY, or the one generated into DATA_DIR). */
export function parseTokenKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error(
      `The token key must be 32 bytes as 64 hex characters or base64 (got ${key.length} bytes).`,
    );
  }
  return key;
}

/** AES-256-GCM with a fresh random 96-bit IV per value: `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function createTokenCipher(
  key: Buffer,
  random: (size: number) => Buffer = randomBytes,
): TokenCipher {
  if (key.length !== 32) throw new Error("AES-256-GCM needs a 32-byte key.");
  return {
    encrypt(plain, context) {
      const iv = random(ivBytes);
      const cipher = createCipheriv(algorithm, key, iv, { authTagLength: tagBytes });
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url"));
      return [version, ...parts].join(".");
    },
    decrypt(sealed, context) {
      const [tag, ivText, authTag, body] = sealed.split(".");
      if (tag !== version || !ivText || !authTag || body === undefined) {
        throw new Error("Not an encrypted installation (unknown format).");
      }
      const decipher = createDecipheriv(algorithm, key, Buffer.from(ivText, "base64url"), {
        authTagLength: tagBytes,
      });
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(authTag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(body, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}

/** The authenticated context of a row: its platform and id. */
export function cipherContext(key: { platform: string; id: string }): string {
  return `${key.platform}/${key.id}`;
}
