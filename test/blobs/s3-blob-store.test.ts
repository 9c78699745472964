import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { CreateMultipartUploadCommand, UploadPartCommand } from "@aws-sdk/client-s3";
import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createS3BlobStore } from "../../src/blobs/s3-blob-store.ts";
import { createS3Client } from "../../src/blobs/s3-client.ts";
import { blobStoreContract } from "../contracts/blob-store.contract.ts";
import { type FakeS3Server, startFakeS3Server } from "../fakes/fake-s3-server.ts";

function clientFor(fake: FakeS3Server, secretAccessKey = fake.credentials.secretAccessKey) {
  return createS3Client({
    bucket: fake.bucket,
    region: fake.credentials.region,
    endpoint: fake.endpoint,
    prefix: "bot/",
    forcePathStyle: true,
    credentials: { accessKeyId: fake.credentials.accessKeyId, secretAccessKey },
  });
}

blobStoreContract("S3 blob store", async (now) => {
  const fake = await startFakeS3Server({ now, maxKeys: 2 });
  const clients = [clientFor(fake)];
  const open = async () => {
    const client = clientFor(fake);
    clients.push(client);
    return createS3BlobStore({
      client,
      bucket: fake.bucket,
      prefix: "bot/media/",
      orphanAgeMs: 60 * 60_000,
      now,
    });
  };
  return {
    store: await open(),
    peer: open,
    async interruptPut(key) {
      // A multipart upload begun and never completed, as a killed instance leaves it.
      const client = clients[0];
      const started = await client?.send(
        new CreateMultipartUploadCommand({ Bucket: fake.bucket, Key: `bot/media/${key}` }),
      );
      await client?.send(
        new UploadPartCommand({
          Bucket: fake.bucket,
          Key: `bot/media/${key}`,
          UploadId: started?.UploadId,
          PartNumber: 1,
          Body: Buffer.from("half a video"),
        }),
      );
    },
    leftovers: async () => fake.uploads.size,
    async close() {
      for (const client of clients) client.destroy();
      await fake.close();
    },
  };
});

describe("S3 blob store on the wire", () => {
  let fake: FakeS3Server;
  beforeEach(async () => {
    fake = await startFakeS3Server();
  });
  afterEach(async () => {
    await fake.close();
  });

  const metadata = () => ({
    contentType: "video/mp4",
    fileName: "clip été.mp4",
    expiresAt: Date.now() + 60 * 60_000,
  });

  /** 12 MiB that differ everywhere, streamed in 64 KiB pieces of unknown total length. */
  function bigBody(): { bytes: Buffer; stream: () => AsyncIterable<Uint8Array> } {
    const bytes = Buffer.alloc(12 * 1024 ** 2 + 333);
    for (let index = 0; index < bytes.length; index++)
      bytes[index] = (index * 7 + (index >> 9)) % 251;
    return {
      bytes,
      async *stream() {
        for (let offset = 0; offset < bytes.length; offset += 65_536) {
          yield bytes.subarray(offset, offset + 65_536);
        }
      },
    };
  }

  it("streams a multi-megabyte body in as a multipart upload, and reads ranges of it back", async () => {
    const client = clientFor(fake);
    const store = createS3BlobStore({
      client,
      bucket: fake.bucket,
      prefix: "bot/videos/",
      orphanAgeMs: 60_000,
    });
    const { bytes, stream } = bigBody();
    const info = await store.put("big", stream(), metadata());
    expect(info.sizeBytes).toBe(bytes.length);
    const parts = fake.requests.filter(
      (request) => request.method === "PUT" && request.query.has("partNumber"),
    );
    expect(parts.map((request) => request.query.get("partNumber"))).toEqual(["1", "2", "3"]);
    expect(fake.requests[0]?.query.has("uploads")).toBe(true);
    expect(fake.objects.get("bot/videos/big")?.bytes.equals(bytes)).toBe(true);
    expect(fake.uploads.size).toBe(0);

    expect(await store.stat("big")).toEqual({
      ...metadata(),
      expiresAt: info.expiresAt,
      sizeBytes: bytes.length,
    });
    const boundary = 5 * 1024 ** 2;
    const ranged = await store.open("big", { start: boundary - 10, end: boundary + 9 });
    const read = ranged ? await buffer(ranged) : Buffer.alloc(0);
    expect(read.equals(bytes.subarray(boundary - 10, boundary + 10))).toBe(true);
    expect(fake.requests.at(-1)?.headers.range).toBe(`bytes=${boundary - 10}-${boundary + 9}`);
    const opened = await store.open("big");
    const whole = opened ? await buffer(opened) : Buffer.alloc(0);
    expect(whole.equals(bytes)).toBe(true);
    client.destroy();
  });

  it("aborts the multipart upload of a body that fails after a part went up", async () => {
    const client = clientFor(fake);
    const store = createS3BlobStore({ client, bucket: fake.bucket, prefix: "p/", orphanAgeMs: 1 });
    const { bytes } = bigBody();
    async function* failing() {
      yield bytes.subarray(0, 11 * 1024 ** 2);
      throw new Error("the download broke");
    }
    await expect(store.put("half", failing(), metadata())).rejects.toThrow("download broke");
    expect(fake.requests.some((request) => request.query.has("uploads"))).toBe(true);
    expect(fake.uploads.size).toBe(0);
    expect(fake.objects.size).toBe(0);
    client.destroy();
  });

  it("signs every request, so the bucket refuses a wrong secret with 403 and never sees the secret", async () => {
    const wrong = clientFor(fake, "not-the-secret-access-key");
    const store = createS3BlobStore({
      client: wrong,
      bucket: fake.bucket,
      prefix: "p/",
      orphanAgeMs: 1,
    });
    await expect(
      store.put("clip", Readable.from([Buffer.from("bytes")]), metadata()),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(fake.objects.size).toBe(0);
    expect(fake.requests.every((request) => request.refused === "signature differs")).toBe(true);
    const sent = JSON.stringify(fake.requests.map((request) => request.headers));
    expect(sent).not.toContain("not-the-secret-access-key");
    expect(sent).toContain(`Credential=${fake.credentials.accessKeyId}/`);
    wrong.destroy();

    const unsigned = await request(`${fake.endpoint}/${fake.bucket}/p/clip`);
    expect(unsigned.statusCode).toBe(403);
    expect(await unsigned.body.text()).toContain("<Code>AccessDenied</Code>");
  });
});
