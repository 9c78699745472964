import { createHmac, timingSafeEqual } from "node:crypto";

/** Random ids only: 24 URL-safe characters, so no path can be smuggled in. */
export const mediaIdPattern = /^[A-Za-z0-9_-]{24}$/;
const signaturePattern = /^[0-9a-f]{64}$/;
const expiresPattern = /^\d{1,12}$/;

export interface SignedMediaParts {
  id: string;
  /** Unix seconds. */
  expires: number;
  signature: string;
}

export function signMedia(secret: string, id: string, expires: number): string {
  return createHmac("sha256", secret).update(`${id}.${expires}`).digest("hex");
}

/** Reads `/media/<id>?expires=…&signature=…` from a path (the prefix is checked by the caller). */
export function readSignedParts(id: string, search: URLSearchParams): SignedMediaParts | undefined {
  const expires = search.get("expires") ?? "";
  const signature = search.get("signature") ?? "";
  if (!mediaIdPattern.test(id) || !expiresPattern.test(expires)) return undefined;
  if (!signaturePattern.test(signature)) return undefined;
  return { id, expires: Number(expires), signature };
}

/** Constant-time check that the signature was made with our secret for this id and expiry. */
export function hasValidSignature(secret: string, parts: SignedMediaParts): boolean {
  const expected = Buffer.from(signMedia(secret, parts.id, parts.expires), "hex");
  const given = Buffer.from(parts.signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
