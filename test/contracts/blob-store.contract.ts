import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/blobs/blob-store.ts";

export interface BlobStoreUnderTest {
  store: BlobStore;
  /** A second store on the same storage, as another instance would open it. */
  peer: () => Promise<BlobStore>;
  /** Leaves bytes behind as a put that crashed half-way would (the store's orphan age is one hour). */
  interruptPut: (key: string) => Promise<void>;
  /** How many pieces of storage no blob owns (files, chunk rows). */
  leftovers: () => Promise<number>;
  close?: () => Promise<void>;
}

/** Bytes that differ everywhere, in pieces of uneven sizes, so a chunk boundary can never hide a mistake. */
function sampleBytes(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, index) => (index * 7 + (index >> 8)) % 251));
}

function inPieces(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    pieces.push(bytes.subarray(offset, offset + size));
  }
  return Readable.from(pieces);
}

async function bytesOf(stream: Readable | undefined): Promise<Buffer | undefined> {
  return stream && (await buffer(stream));
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

    it("keeps the bytes streamed in, whole, with their metadata, for a peer too", async () => {
      const bytes = sampleBytes(10_000);
      const info = await store.put("clip", inPieces(bytes, 777), metadata());
      expect(info).toEqual({ ...metadata(), sizeBytes: 10_000 });
      const peer = await subject.peer();
      expect(await peer.stat("clip")).toEqual(info);
      expect((await bytesOf(await peer.open("clip")))?.equals(bytes)).toBe(true);
    });

    it("reads any range, across chunk boundaries, and an empty blob", async () => {
      const bytes = sampleBytes(5_000);
      await store.put("clip", inPieces(bytes, 1_000), metadata());
      for (const [start, end] of [
        [0, 0],
        [999, 1_000],
        [1_500, 4_321],
        [4_999, 4_999],
        [0, 4_999],
      ] as const) {
        const read = await bytesOf(await store.open("clip", { start, end }));
        expect(read?.equals(bytes.subarray(start, end + 1)), `${start}-${end}`).toBe(true);
      }
      await store.put("empty", Readable.from([]), metadata());
      expect((await store.stat("empty"))?.sizeBytes).toBe(0);
      expect((await bytesOf(await store.open("empty")))?.length).toBe(0);
    });

    it("replaces a blob put again under the same key", async () => {
      await store.put("clip", inPieces(sampleBytes(3_000), 500), metadata());
      await store.put("clip", Readable.from([Buffer.from("second")]), {
        ...metadata(),
        fileName: "second.txt",
        contentType: "text/plain",
      });
      expect(await store.stat("clip")).toMatchObject({ fileName: "second.txt", sizeBytes: 6 });
      expect((await bytesOf(await store.open("clip")))?.toString()).toBe("second");
    });

    it("forgets a removed blob, for every instance", async () => {
      await store.put("clip", Readable.from([Buffer.from("bytes")]), metadata());
      const peer = await subject.peer();
      await peer.remove("clip");
      await peer.remove("clip");
      expect(await store.stat("clip")).toBeUndefined();
      expect(await store.open("clip")).toBeUndefined();
    });

    it("treats an expired blob as absent at once, and the sweep deletes only expired ones", async () => {
      await store.put("short", Readable.from([Buffer.from("short")]), {
        ...metadata(),
        expiresAt: time + 1_000,
      });
      await store.put("long", Readable.from([Buffer.from("long")]), metadata());
      time += 5_000;
      expect(await store.stat("short")).toBeUndefined();
      expect(await store.open("short")).toBeUndefined();
      expect(await store.sweep()).toBe(1);
      expect(await store.sweep()).toBe(0);
      expect((await bytesOf(await store.open("long")))?.toString()).toBe("long");
      expect(await subject.leftovers()).toBe(0);
    });

    it("keeps nothing of a put whose body failed, and the old blob stays", async () => {
      await store.put("clip", Readable.from([Buffer.from("old")]), metadata());
      async function* failing() {
        yield sampleBytes(2_500);
        throw new Error("the download broke");
      }
      await expect(store.put("other", failing(), metadata())).rejects.toThrow("download broke");
      expect(await store.stat("other")).toBeUndefined();
      expect((await bytesOf(await store.open("clip")))?.toString()).toBe("old");
      expect(await subject.leftovers()).toBe(0);
    });

    it("sweeps away what an interrupted put left, once it is old", async () => {
      await subject.interruptPut("crashed");
      expect(await store.stat("crashed")).toBeUndefined();
      expect(await store.open("crashed")).toBeUndefined();
      await store.sweep();
      // Young: it may be a put still under way on another instance.
      expect(await subject.leftovers()).toBeGreaterThan(0);
      time += 2 * 60 * 60_000;
      await store.sweep();
      expect(await subject.leftovers()).toBe(0);
    });

    it("refuses keys that could name another file", async () => {
      for (const key of ["../escape", "a/b", "dot.json", ""]) {
        await expect(store.put(key, Readable.from([]), metadata())).rejects.toThrow(RangeError);
        expect(await store.stat(key)).toBeUndefined();
      }
    });
  });
}
