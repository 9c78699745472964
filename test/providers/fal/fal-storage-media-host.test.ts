import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/errors.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import {
  createFalStorageMediaHost,
  type FalStorageMediaHost,
  falFileLifetimeMs,
} from "../../../src/providers/fal/fal-storage-media-host.ts";
import { type FakeFalServer, startFakeFalServer } from "../../fakes/fake-fal-server.ts";

const jpeg = join(import.meta.dirname, "..", "..", "fixtures", "media", "tiny.jpg");

describe("fal.ai storage as MEDIA_HOST=provider", () => {
  let fake: FakeFalServer;
  let host: FalStorageMediaHost | undefined;
  const clock = Date.UTC(2026, 0, 1);

  async function start(apiKey?: string) {
    fake = await startFakeFalServer();
    host = createFalStorageMediaHost({
      apiKey: apiKey ?? fake.apiKey,
      storageUrl: fake.storageUrl,
      logger: createSilentLogger(),
      trustedHosts: [fake.cdnBaseUrl],
      now: () => clock,
    });
    return host;
  }

  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await fake?.close();
  });

  it("initiates with the key, PUTs the file's bytes to the signed URL without it, and hands over file_url", async () => {
    const storage = await start();
    const bytes = await readFile(jpeg);
    const published = await storage.publish(
      { path: jpeg, contentType: "image/jpeg", fileName: "cat photo.jpg" },
      { ttlMs: 60_000 },
    );
    const initiate = fake.requests.find((recorded) => recorded.method === "POST");
    expect(initiate).toMatchObject({
      pathname: "/storage/upload/initiate",
      body: { content_type: "image/jpeg", file_name: "cat_photo.jpg" },
    });
    expect(initiate?.query.get("storage_type")).toBe("fal-cdn-v3");
    expect(initiate?.headers.authorization).toBe(`Key ${fake.apiKey}`);
    const [stored] = [...fake.storedFiles.values()];
    expect(stored?.putContentType).toBe("image/jpeg");
    expect(stored?.bytes?.equals(bytes)).toBe(true);

    expect(published.url.startsWith(`${fake.cdnBaseUrl}/uploads/`)).toBe(true);
    expect(published.expiresAt).toBe(clock + falFileLifetimeMs);
    const response = await request(published.url);
    expect(Buffer.from(await response.body.arrayBuffer()).equals(bytes)).toBe(true);
    // The key went to the storage API only: never with the bytes, never into the URL.
    expect(fake.cdnRequests.every((recorded) => !recorded.headers.authorization)).toBe(true);
    expect(published.url).not.toContain(fake.apiKey);
    await published.release();
    expect((await request(published.url)).statusCode).toBe(200);
  });

  it("uploads bytes held in memory the same way", async () => {
    const storage = await start();
    const published = await storage.publish(
      { bytes: Buffer.from("pixels"), contentType: "image/png", fileName: "p.png" },
      { ttlMs: 60_000 },
    );
    const response = await request(published.url);
    expect(Buffer.from(await response.body.arrayBuffer()).toString()).toBe("pixels");
  });

  it("says what fal refused, and leaves nothing half-sent", async () => {
    const storage = await start("not-the-key");
    const error = await storage
      .publish(
        { bytes: Buffer.from("x"), contentType: "image/png", fileName: "x.png" },
        {
          ttlMs: 60_000,
        },
      )
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      statusCode: 401,
      message:
        "fal.ai refused a file upload: fal.ai refused the bot's key; tell the bot's operator to check FAL_KEY.",
    });
    expect(fake.cdnRequests).toHaveLength(0);
  });
});
