import { describe, expect, it } from "vitest";
import { createTokenCipher, parseTokenKey } from "../../src/installations/token-cipher.ts";

const key = Buffer.alloc(32, 7);
let counter = 0;
const steppingIv = (size: number) => Buffer.alloc(size, ++counter);

describe("token cipher (AES-256-GCM)", () => {
  it("round-trips a secret and never writes it in the clear", () => {
    const cipher = createTokenCipher(key, steppingIv);
    const sealed = cipher.encrypt('{"token":"xoxb-123"}', "slack/team:T1");
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain("xoxb");
    expect(cipher.decrypt(sealed, "slack/team:T1")).toBe('{"token":"xoxb-123"}');
  });

  it("refuses another row's context, another key and a tampered value", () => {
    const cipher = createTokenCipher(key, steppingIv);
    const sealed = cipher.encrypt("xoxb-123", "slack/team:T1");
    expect(() => cipher.decrypt(sealed, "slack/team:T2")).toThrow();
    expect(() => createTokenCipher(Buffer.alloc(32, 8)).decrypt(sealed, "slack/team:T1")).toThrow();
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 0xff;
    parts[3] = body.toString("base64url");
    expect(() => cipher.decrypt(parts.join("."), "slack/team:T1")).toThrow();
  });

  it("reads a key as 64 hex characters or base64 of 32 bytes, and names a wrong length", () => {
    expect(parseTokenKey("ab".repeat(32))).toEqual(Buffer.alloc(32, 0xab));
    expect(parseTokenKey(Buffer.alloc(32, 1).toString("base64"))).toEqual(Buffer.alloc(32, 1));
    expect(() => parseTokenKey("short")).toThrow(/32 bytes .*got 3 bytes/);
  });
});
