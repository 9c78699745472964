import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { createHttpMediaHost, type HttpMediaHost, maxMediaTtlMs } from "../../src/media/index.ts";
import { HttpServer } from "../../src/server/http-server.ts";
import { tamperedSignature } from "../support/tampered-signature.ts";

const secret = "a-media-signing-secret-of-32-chars!";
const png = join(import.meta.dirname, "..", "fixtures", "media", "tiny.png");

describe("HTTP media host", () => {
  let directory: string;
  let server: HttpServer;
  let host: HttpMediaHost;
  let baseUrl: string;
  let clock: number;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "media-host-"));
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    baseUrl = `http://127.0.0.1:${address.port}`;
    clock = Date.UTC(2026, 0, 1);
    host = createHttpMediaHost({
      server,
      directory: join(directory, "media"),
      secret,
      publicBaseUrl: baseUrl,
      logger: createSilentLogger(),
      now: () => clock,
    });
  });

  afterEach(async () => {
    host.stop();
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function get(url: string, headers: Record<string, string> = {}) {
    const response = await request(url, { headers });
    return {
      status: response.statusCode,
      headers: response.headers,
      bytes: Buffer.from(await response.body.arrayBuffer()),
    };
  }

  async function publishPng(ttlMs = 60_000) {
    const bytes = await readFile(png);
    return {
      bytes,
      published: await host.publish(
        { bytes, contentType: "image/png", fileName: "cat.png" },
        { ttlMs },
      ),
    };
  }

  it("serves the bytes at an unguessable signed URL with their content type", async () => {
    const { bytes, published } = await publishPng();
    expect(published.url).toMatch(
      new RegExp(`^${baseUrl}/media/[A-Za-z0-9_-]{24}\\?expires=\\d+&signature=[0-9a-f]{64}$`),
    );
    expect(published.expiresAt).toBe(clock + 60_000);
    const response = await get(published.url);
    expect(response.status).toBe(200);
    expect(response.bytes.equals(bytes)).toBe(true);
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["content-security-policy"]).toContain("sandbox");
  });

  it("answers a byte range with 206 and only those bytes", async () => {
    const { bytes, published } = await publishPng();
    const response = await get(published.url, { range: "bytes=2-9" });
    expect(response.status).toBe(206);
    expect(response.headers["content-range"]).toBe(`bytes 2-9/${bytes.length}`);
    expect(response.bytes.equals(bytes.subarray(2, 10))).toBe(true);
  });

  it("refuses a tampered signature, a changed expiry or a missing signature with 403", async () => {
    const { published } = await publishPng();
    const url = new URL(published.url);
    const tampered = new URL(tamperedSignature(published.url));
    const later = new URL(url);
    later.searchParams.set("expires", String(Number(url.searchParams.get("expires")) + 3600));
    const unsigned = new URL(url);
    unsigned.searchParams.delete("signature");
    for (const candidate of [tampered, later, unsigned]) {
      expect((await get(candidate.href)).status).toBe(403);
    }
  });

  it("answers 410 once the link has expired, and resolves it no more", async () => {
    const { published } = await publishPng(1_000);
    clock += 1_000;
    expect((await get(published.url)).status).toBe(410);
    expect(host.resolveLocalPath(published.url)).toBeUndefined();
  });

  it("serves nothing else: traversal, unknown ids and released files", async () => {
    const { published } = await publishPng();
    const query = new URL(published.url).search;
    for (const path of ["/media/..%2F..%2Fetc%2Fpasswd", "/media/%2e%2e/jobs.sqlite", "/media/"]) {
      expect((await get(`${baseUrl}${path}${query}`)).status).toBe(404);
    }
    expect((await get(`${baseUrl}/media/${"A".repeat(24)}${query}`)).status).toBe(403);
    await published.release();
    await published.release();
    expect((await get(published.url)).status).toBe(404);
  });

  it("keeps expiry within one hour", async () => {
    const bytes = await readFile(png);
    const source = { bytes, contentType: "image/png", fileName: "cat.png" };
    await expect(host.publish(source, { ttlMs: maxMediaTtlMs + 1 })).rejects.toThrow(RangeError);
    await expect(host.publish(source, { ttlMs: 0 })).rejects.toThrow(RangeError);
    expect(() =>
      createHttpMediaHost({
        server,
        directory,
        secret: "short",
        publicBaseUrl: baseUrl,
        logger: createSilentLogger(),
      }),
    ).toThrow(ConfigError);
  });

  it("resolves its own valid URLs to the local file, and nothing else", async () => {
    const { bytes, published } = await publishPng();
    const path = host.resolveLocalPath(published.url) ?? "";
    expect((await readFile(path)).equals(bytes)).toBe(true);
    expect(host.resolveLocalPath(tamperedSignature(published.url))).toBeUndefined();
    expect(host.resolveLocalPath("https://cdn.example/cat.png")).toBeUndefined();
    expect(host.resolveLocalPath("not a url")).toBeUndefined();
  });

  it("publishes a file from disk by copying it", async () => {
    const source = join(directory, "clip.bin");
    await writeFile(source, "hello");
    const published = await host.publish(
      { path: source, contentType: "application/octet-stream", fileName: "clip.bin" },
      { ttlMs: 1_000 },
    );
    await rm(source);
    expect((await get(published.url)).bytes.toString()).toBe("hello");
  });

  it("sweeps expired files away and keeps the live ones", async () => {
    const short = await publishPng(1_000);
    const long = await publishPng(10_000);
    clock += 5_000;
    expect(await host.sweep()).toBe(1);
    const left = await readdir(join(directory, "media"));
    expect(left).toHaveLength(2);
    expect(host.resolveLocalPath(long.published.url)).toBeDefined();
    expect((await get(short.published.url)).status).toBe(410);
  });
});
