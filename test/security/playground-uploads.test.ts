import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import type { UploadLimits } from "../../adapters/playground/uploads.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { waitUntil } from "../support/wait-until.ts";
import { healthStatus, RawRequest } from "./support/raw-http.ts";

/** A PNG the sniff and the wholeness check accept, `size` bytes long. */
function png(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x41);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  Buffer.from("\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", "latin1").copy(bytes, 8);
  bytes.write("IEND", size - 8, "latin1");
  return bytes;
}

async function upload(baseUrl: string, bytes: Buffer) {
  const response = await request(`${baseUrl}/api/uploads`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream", "x-file-name": "frame.png" },
    body: bytes,
  });
  return { status: response.statusCode, text: await response.body.text() };
}

function hold(port: number, declaredBytes: number): Promise<RawRequest> {
  return RawRequest.start(port, {
    path: "/api/uploads",
    headers: { "content-type": "application/octet-stream", "content-length": declaredBytes },
  });
}

let stack: PlaygroundStack | undefined;
let clock = 1_800_000_000_000;
const held: RawRequest[] = [];
afterEach(async () => {
  for (const raw of held.splice(0)) raw.close();
  await stack?.close();
  stack = undefined;
});

async function start(uploads: Partial<UploadLimits>) {
  // The media host stamps expiry with the real clock; ours starts there and moves only when told.
  clock = Date.now();
  stack = await startPlaygroundStack({ delayMs: 40, adapter: { now: () => clock, uploads } });
  return { stack, port: Number(new URL(stack.baseUrl).port) };
}

describe("playground uploads under hostile input", () => {
  it("a declared size over the limit: 413 naming the variable, before any byte is read", async () => {
    const { stack, port } = await start({ maxBytes: 64 * 1024 });
    const raw = await hold(port, 50 * 1024 * 1024);
    held.push(raw);
    const answer = await raw.answer();
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("PLAYGROUND_UPLOAD_MAX_BYTES");
    expect(await healthStatus(stack.baseUrl)).toBe(200);
  });

  it("a chunked body that grows past the limit: refused while streaming, nothing kept", async () => {
    const { stack, port } = await start({ maxBytes: 64 * 1024 });
    const raw = await RawRequest.start(port, {
      path: "/api/uploads",
      headers: { "content-type": "application/octet-stream", "transfer-encoding": "chunked" },
    });
    held.push(raw);
    const chunk = png(16 * 1024);
    for (let sent = 0; sent < 8; sent += 1) {
      await raw.write(`${chunk.length.toString(16)}\r\n`);
      await raw.write(chunk);
      await raw.write("\r\n");
    }
    const answer = await raw.answer();
    expect(answer.status).toBe(413);
    expect(await healthStatus(stack.baseUrl)).toBe(200);
    const media = await readdir(join(stack.directory, "media")).catch(() => []);
    expect(media).toEqual([]);
  });

  it("caps uploads in progress per visitor and in all, naming each limit", async () => {
    const { stack, port } = await start({ concurrentPerUser: 2, concurrentTotal: 3 });
    for (let index = 0; index < 2; index += 1) held.push(await hold(port, 100_000));
    await waitUntil(async () => (await upload(stack.baseUrl, png(1000))).status === 429);
    const third = await upload(stack.baseUrl, png(1000));
    expect(third.status).toBe(429);
    expect(third.text).toContain("PLAYGROUND_UPLOADS_PER_USER is 2");
    expect(await healthStatus(stack.baseUrl)).toBe(200);
  });

  it("caps uploads in progress in all", async () => {
    const { stack, port } = await start({ concurrentPerUser: 5, concurrentTotal: 2 });
    for (let index = 0; index < 2; index += 1) held.push(await hold(port, 100_000));
    await waitUntil(async () => (await upload(stack.baseUrl, png(1000))).status === 429);
    const refused = await upload(stack.baseUrl, png(1000));
    expect(refused.text).toContain("PLAYGROUND_UPLOADS_TOTAL is 2");
    for (const raw of held.splice(0)) raw.close();
    // Places are given back when the held uploads go away.
    await waitUntil(async () => (await upload(stack.baseUrl, png(1000))).status === 201);
  });

  it("keeps to the disk quota: refuses when full, naming it, then frees expired uploads first", async () => {
    const { stack } = await start({ quotaBytes: 1_000_000 });
    expect((await upload(stack.baseUrl, png(400_000))).status).toBe(201);
    expect((await upload(stack.baseUrl, png(400_000))).status).toBe(201);
    const full = await upload(stack.baseUrl, png(400_000));
    expect(full.status).toBe(507);
    expect(full.text).toContain("PLAYGROUND_UPLOAD_QUOTA_BYTES");
    expect(full.text).toContain("800000 of 1000000 bytes");
    expect(await healthStatus(stack.baseUrl)).toBe(200);
    clock += 2 * 3_600_000;
    expect((await upload(stack.baseUrl, png(400_000))).status).toBe(201);
  });

  it("a whole 8 MB upload streamed in pieces is stored with its exact size", async () => {
    const { stack } = await start({});
    const answer = await upload(stack.baseUrl, png(8 * 1024 * 1024));
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text).attachment.sizeBytes).toBe(8 * 1024 * 1024);
  });
});
