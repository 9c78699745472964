import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserFacingError } from "../../src/errors.ts";
import {
  createDataUriMediaHost,
  defaultDataUriMaxBytes,
  linkExpiry,
} from "../../src/media/index.ts";
import { capturedLogger } from "./log-capture.ts";

const png = join(import.meta.dirname, "..", "fixtures", "media", "tiny.png");

function decode(url: string): { type: string; bytes: Buffer } {
  const match = /^data:([^;,]+);base64,([A-Za-z0-9+/=]+)$/.exec(url);
  if (!match) throw new Error(`not a base64 data URI: ${url.slice(0, 40)}`);
  return { type: match[1] ?? "", bytes: Buffer.from(match[2] ?? "", "base64") };
}

describe("data URI media host (experimental)", () => {
  it("inlines the bytes with their content type, from memory or from disk", async () => {
    const host = createDataUriMediaHost({ logger: capturedLogger().logger, now: () => 1000 });
    const bytes = await readFile(png);
    const fromMemory = await host.publish(
      { bytes, contentType: "image/png", fileName: "cat.png" },
      { ttlMs: 60_000 },
    );
    expect(decode(fromMemory.url)).toEqual({ type: "image/png", bytes });
    expect(fromMemory.expiresAt).toBe(61_000);
    // The bytes travel inside the URI: a job holding it never sees its input link expire.
    expect(linkExpiry(fromMemory)).toEqual({});
    const fromDisk = await host.publish(
      { path: png, contentType: "image/png", fileName: "cat.png" },
      { ttlMs: 60_000 },
    );
    expect(fromDisk.url).toBe(fromMemory.url);
    await fromDisk.release();
    expect(host.resolveLocalPath(fromDisk.url)).toBeUndefined();
  });

  it("never lets a content type break out of the URI", async () => {
    const host = createDataUriMediaHost({ logger: capturedLogger().logger });
    const published = await host.publish(
      { bytes: Buffer.from("x"), contentType: "image/png,evil;base64", fileName: "x" },
      { ttlMs: 60_000 },
    );
    expect(decode(published.url).type).toBe("application/octet-stream");
  });

  it("refuses a file above the limit, saying what to set instead", async () => {
    const host = createDataUriMediaHost({ maxBytes: 1024, logger: capturedLogger().logger });
    const big = { bytes: Buffer.alloc(2048), contentType: "image/png", fileName: "big.png" };
    const error = await host.publish(big, { ttlMs: 60_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ field: "attachments", code: "MEDIA_REJECTED" });
    expect((error as Error).message).toMatch(/big\.png is .* too big to pass .* inline/);
    expect((error as Error).message).toContain("PUBLIC_BASE_URL");
    expect((error as Error).message).toContain("OXEN_MEDIA_REPO");
    const mp4 = join(import.meta.dirname, "..", "fixtures", "media", "tiny.mp4");
    await expect(
      host.publish({ path: mp4, contentType: "video/mp4", fileName: "clip.mp4" }, { ttlMs: 1 }),
    ).rejects.toThrow(/clip\.mp4 is .* too big/);
    await expect(
      host.publish({ path: png, contentType: "image/png", fileName: "cat.png" }, { ttlMs: 1 }),
    ).resolves.toBeDefined();
    expect(defaultDataUriMaxBytes).toBe(12 * 1024 ** 2);
  });

  it("warns once that it is experimental, and never logs the data", async () => {
    const logs = capturedLogger();
    const host = createDataUriMediaHost({ logger: logs.logger });
    const source = { bytes: Buffer.from("secret-pixels"), contentType: "image/png", fileName: "x" };
    await host.publish(source, { ttlMs: 60_000 });
    await host.publish(source, { ttlMs: 60_000 });
    expect(logs.lines()).toHaveLength(1);
    expect(logs.text()).toContain("experimental");
    expect(logs.text()).not.toContain(Buffer.from("secret-pixels").toString("base64"));
  });
});
