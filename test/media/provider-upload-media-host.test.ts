import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/errors.ts";
import { createSilentLogger } from "../../src/logger.ts";
import {
  createProviderUploadMediaHost,
  type ProviderUploadMediaHost,
} from "../../src/media/index.ts";
import {
  type FakeDialect,
  type FakeUnifiedTaskServer,
  startFakeUnifiedTaskServer,
} from "../fakes/fake-unified-task-server.ts";
import { capturedLogger } from "./log-capture.ts";

const jpeg = join(import.meta.dirname, "..", "fixtures", "media", "tiny.jpg");
const hour = 60 * 60_000;

describe.each<FakeDialect>(["aihubmax", "evolink"])("%s file upload media host", (dialect) => {
  let fake: FakeUnifiedTaskServer;
  let host: ProviderUploadMediaHost | undefined;
  const clock = Date.UTC(2026, 0, 1);

  async function start(apiKey?: string, logger = createSilentLogger()) {
    fake = await startFakeUnifiedTaskServer({ dialect });
    host = createProviderUploadMediaHost({
      provider: dialect,
      apiKey: apiKey ?? fake.apiKey,
      uploadBaseUrl: fake.baseUrl,
      logger,
      now: () => clock,
    });
    return host;
  }

  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await fake?.close();
  });

  it("uploads the bytes and hands over a URL the provider fetches without a key", async () => {
    const uploader = await start();
    const bytes = await readFile(jpeg);
    const published = await uploader.publish(
      { path: jpeg, contentType: "image/jpeg", fileName: "cat photo.jpg" },
      { ttlMs: 60_000 },
    );
    expect(published.url.startsWith(`${fake.cdnBaseUrl}/files/`)).toBe(true);
    const upload = fake.requests.find((recorded) => recorded.method === "POST");
    expect(upload?.pathname).toBe(
      dialect === "aihubmax" ? "/v1/files/upload/stream" : "/api/v1/files/upload/stream",
    );
    expect(upload?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    const stored = [...fake.uploads.values()][0];
    expect(stored).toMatchObject({ contentType: "image/jpeg", fileName: "cat_photo.jpg" });

    const response = await request(published.url);
    expect(response.statusCode).toBe(200);
    expect(Buffer.from(await response.body.arrayBuffer()).equals(bytes)).toBe(true);
    // The key went to the upload endpoint only: never to the file's host, never into the URL.
    expect(fake.cdnRequests.every((recorded) => !recorded.headers.authorization)).toBe(true);
    expect(published.url).not.toContain(fake.apiKey);
  });

  it("reports the provider's 72-hour lifetime and releases nothing (files expire by themselves)", async () => {
    const uploader = await start();
    const published = await uploader.publish(
      { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" },
      { ttlMs: 60_000 },
    );
    // The fake stamps uploads with the real time; the expiry is 72 h after that.
    expect(published.expiresAt).toBeGreaterThan(Date.now() + 71 * hour);
    expect(published.expiresAt).toBeLessThan(Date.now() + 73 * hour);
    await published.release();
    expect((await request(published.url)).statusCode).toBe(200);
    expect(fake.requests).toHaveLength(1);
  });

  it("names the key variable when the key is refused, and never logs it", async () => {
    const logs = capturedLogger();
    const uploader = await start("sk-wrong", logs.logger);
    const error = await uploader
      .publish(
        { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" },
        {
          ttlMs: 60_000,
        },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ statusCode: 401, retryable: false, provider: dialect });
    expect((error as Error).message).toContain(
      dialect === "aihubmax" ? "AIHUBMAX_API_KEY" : "EVOLINK_API_KEY",
    );
    expect((error as Error).message).not.toContain("sk-wrong");
    expect(logs.text()).not.toContain("sk-wrong");
  });

  it("turns a refused or odd answer into a typed error", async () => {
    const uploader = await start();
    const source = { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" };
    const uploadPath = /\/files\/upload\/stream$/;
    fake.failNext("POST", uploadPath, 413);
    await expect(uploader.publish(source, { ttlMs: 60_000 })).rejects.toMatchObject({
      statusCode: 413,
      retryable: false,
      message: expect.stringContaining("too large"),
    });
    fake.failNext("POST", uploadPath, 200, { body: { id: "f1", filename: "x.png" } });
    await expect(uploader.publish(source, { ttlMs: 60_000 })).rejects.toMatchObject({
      name: "ProviderError",
      retryable: false,
      message: expect.stringContaining("unexpected answer"),
    });
    fake.failNext("POST", uploadPath, 503);
    await expect(uploader.publish(source, { ttlMs: 60_000 })).rejects.toMatchObject({
      statusCode: 503,
      retryable: true,
    });
  });

  if (dialect === "evolink") {
    it("reads a refusal sent with HTTP 200 ({success:false, code, msg})", async () => {
      const uploader = await start();
      const body = { success: false, code: 429, msg: "File quota exceeded (100 files)" };
      fake.failNext("POST", "/api/v1/files/upload/stream", 200, { body });
      const error = await uploader
        .publish(
          { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" },
          {
            ttlMs: 60_000,
          },
        )
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ statusCode: 429, retryable: true });
    });
  }
});
