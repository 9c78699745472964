import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/blobs/blob-store.ts";

export interface BlobStoreUnderTest {
  store: BlobStore;
  /** A second store on the same storage, as another instance (or a restart) would open it. */
  peer: () => Promise<BlobStore>;
  /** Chunk size the store was opened with, so the tests can cross chunk borders. */
  chunkBytes: number;
  close?: () => Promise<void>;
}

async function bytesOf(readable: Readable | undefined): Promise<Buffer | undefined> {
  if (!readable) return undefined;
  const pieces: Buffer[] = [];
  for await (const piece of readable) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

/** Several pieces of uneven sizes, as a network or file stream delivers them. */
function unevenStream(bytes: Buffer): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = size * 3 + 1) {
    pieces.push(bytes.subarray(offset, offset + size));
  }
  return Readable.from(pieces);
}

/** Bytes that differ from position to position, so a misplaced chunk shows. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 7 + (index >> 8)) % 251;
  return bytes;
}

/** The behaviour every BlobStore shares; each gets the test's clock, so nothing waits for real time. */
export function blobStoreContract(
  name: string,
  factory: (now: () => number) => Promise<BlobStoreUnderTest>,
): void {
  describe(`${name} (BlobStore contract)`, () => {
    let time: number;
    let subject: BlobStoreUnderTest;
    let store: BlobStore;
    const metadata = () => ({
      contentType: "video/mp4",
      fileName: "clip.mp4",
      expiresAt: time + 60_000,
    });

    beforeEach(async () => {
      time = 1_000_000;
      subject = await factory(() => time);
      store = subject.store;
    });

    afterEach(async () => {
      await subject.close?.();
    });

    it("streams a blob in and out whole, across chunk borders, and tells its size and metadata", async () => {
      const bytes = patterned(subject.chunkBytes * 3 + 17);
      const info = await store.put("clip", unevenStream(bytes), metadata());
      expect(info).toEqual({ ...metadata(), sizeBytes: bytes.length });
      expect(await store.stat("clip")).toEqual(info);
      expect((await bytesOf(await store.open("clip")))?.equals(bytes)).toBe(true);
    });

    it("reads one byte range, inside a chunk or spanning several", async () => {
      const bytes = patterned(subject.chunkBytes * 2 + 5);
      await store.put("clip", Readable.from([bytes]), metadata());
      for (const [start, end] of [
        [0, 0],
        [3, subject.chunkBytes - 1],
        [subject.chunkBytes - 2, subject.chunkBytes * 2 + 1],
        [subject.chunkBytes * 2, bytes.length - 1],
      ] as const) {
        const read = await bytesOf(await store.open("clip", { start, end }));
        expect(read?.equals(bytes.subarray(start, end + 1))).toBe(true);
      }
    });

    it("keeps an empty blob", async () => {
      expect(await store.put("empty", Readable.from([]), metadata())).toMatchObject({
        sizeBytes: 0,
      });
      expect(await store.stat("empty")).toMatchObject({ sizeBytes: 0 });
    });

    it("is reachable from a second store on the same storage", async () => {
      await store.put("shared", Readable.from([Buffer.from("from instance A")]), metadata());
      const peer = await subject.peer();
      expect(await peer.stat("shared")).toMatchObject({ sizeBytes: 15, fileName: "clip.mp4" });
      expect(await text((await peer.open("shared")) ?? Readable.from([]))).toBe("from instance A");
      await peer.remove("shared");
      expect(await store.stat("shared")).toBeUndefined();
    });

    it("replaces a blob whole, and removes one idempotently", async () => {
      await store.put("clip", Readable.from([patterned(subject.chunkBytes * 2)]), metadata());
      await store.put("clip", Readable.from([Buffer.from("short")]), {
        ...metadata(),
        fileName: "short.mp4",
      });
      expect(await store.stat("clip")).toMatchObject({ fileName: "short.mp4", sizeBytes: 5 });
      expect(await text((await store.open("clip")) ?? Readable.from([]))).toBe("short");
      await store.remove("clip");
      await store.remove("clip");
      expect(await store.stat("clip")).toBeUndefined();
      expect(await store.open("clip")).toBeUndefined();
    });

    it("treats an expired blob as absent at once, and the sweep deletes it", async () => {
      await store.put("soon", Readable.from([Buffer.from("a")]), {
        ...metadata(),
        expiresAt: time + 1_000,
      });
      await store.put("later", Readable.from([Buffer.from("b")]), metadata());
      time += 1_000;
      expect(await store.stat("soon")).toBeUndefined();
      expect(await store.open("soon")).toBeUndefined();
      expect(await store.sweep()).toBe(1);
      expect(await store.sweep()).toBe(0);
      expect(await store.stat("later")).toMatchObject({ sizeBytes: 1 });
    });

    it("keeps nothing of a put whose body failed, and the blob it would have replaced stays", async () => {
      await store.put("clip", Readable.from([Buffer.from("before")]), metadata());
      async function* failing() {
        yield patterned(subject.chunkBytes + 1);
        throw new Error("the upload broke");
      }
      await expect(store.put("clip", failing(), metadata())).rejects.toThrow("the upload broke");
      await expect(store.put("fresh", failing(), metadata())).rejects.toThrow("the upload broke");
      expect(await text((await store.open("clip")) ?? Readable.from([]))).toBe("before");
      expect(await store.stat("fresh")).toBeUndefined();
    });

    it("refuses a key that could name another file", async () => {
      for (const key of ["../escape", "a/b", "", "a.json"]) {
        await expect(store.put(key, Readable.from([]), metadata())).rejects.toThrow(RangeError);
        expect(await store.stat(key)).toBeUndefined();
        expect(await store.open(key)).toBeUndefined();
      }
    });
  });
}
