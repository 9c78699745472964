import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import type { EventStreamLimits } from "../../adapters/playground/event-stream.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { waitUntil } from "../support/wait-until.ts";
import { healthStatus } from "./support/raw-http.ts";

let stack: PlaygroundStack | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stack?.close();
  stack = undefined;
});

async function start(events: Partial<EventStreamLimits>) {
  stack = await startPlaygroundStack({ delayMs: 40, adapter: { events } });
  return { stack, port: Number(new URL(stack.baseUrl).port) };
}

let sent = 0;
async function say(baseUrl: string, text: string) {
  sent += 1;
  const response = await request(`${baseUrl}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ clientRequestId: `request-${sent}`, threadId: "thread-1", text }),
  });
  await response.body.dump();
}

/** A stream opened by hand; `read: false` never reads a byte of what the bot sends. */
async function openStream(
  port: number,
  read = true,
): Promise<{ socket: Socket; head: Promise<string> }> {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  await once(socket, "connect");
  socket.write("GET /api/events HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
  let received = "";
  const head = new Promise<string>((resolve) => {
    socket.on("data", (chunk) => {
      received += String(chunk);
      if (/\r\n\r\n[\s\S]*\n\n/.test(received) || / 429 /.test(received)) resolve(received);
    });
    socket.on("close", () => resolve(received));
  });
  if (!read) {
    await head;
    socket.pause();
  }
  return { socket, head };
}

/** Opens a stream through undici and returns its snapshot. */
async function snapshotOf(baseUrl: string) {
  const response = await request(`${baseUrl}/api/events`);
  let text = "";
  for await (const chunk of response.body) {
    text += String(chunk);
    if (text.includes("\n\n")) break;
  }
  response.body.destroy();
  const data = /data: (.*)\n/.exec(text)?.[1] ?? "{}";
  return JSON.parse(data) as { entries: { id: string }[]; hasOlder: boolean };
}

describe("/api/events under hostile load", () => {
  it("sends a bounded first page; older history comes a page at a time, each entry once", async () => {
    const { stack } = await start({ firstPageEntries: 3 });
    for (let index = 0; index < 5; index += 1) await say(stack.baseUrl, `hello ${index}`);
    const first = await snapshotOf(stack.baseUrl);
    expect(first.entries).toHaveLength(3);
    expect(first.hasOlder).toBe(true);
    const seen = first.entries.map((entry) => entry.id);
    let page = first;
    while (page.hasOlder) {
      const before = page.entries[0]?.id ?? "";
      const response = await request(`${stack.baseUrl}/api/entries?before=${before}&limit=50`);
      page = (await response.body.json()) as typeof first;
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.unshift(...page.entries.map((entry) => entry.id));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it("caps streams per visitor and in all, naming each limit; /healthz answers", async () => {
    const { stack, port } = await start({ streamsPerUser: 2, streamsTotal: 3 });
    for (let index = 0; index < 2; index += 1) await (await openStream(port)).head;
    const third = await (await openStream(port)).head;
    expect(third).toMatch(/^HTTP\/1\.1 429/);
    expect(third).toContain("PLAYGROUND_EVENT_STREAMS_PER_USER is 2");
    expect(await healthStatus(stack.baseUrl)).toBe(200);
  });

  it("caps streams in all", async () => {
    const { port } = await start({ streamsPerUser: 10, streamsTotal: 2 });
    for (let index = 0; index < 2; index += 1) await (await openStream(port)).head;
    const third = await (await openStream(port)).head;
    expect(third).toContain("PLAYGROUND_EVENT_STREAMS_TOTAL is 2");
  });

  it("drops a client that does not read, giving its place back; /healthz answers", async () => {
    const { stack, port } = await start({ streamsTotal: 1, maxBufferedBytes: 65_536 });
    await openStream(port, false);
    expect(await (await openStream(port)).head).toContain("PLAYGROUND_EVENT_STREAMS_TOTAL is 1");
    const long = "x".repeat(6000);
    // Entries pile up for the client that reads nothing until the bot lets it go.
    await waitUntil(async () => {
      await Promise.all(Array.from({ length: 40 }, () => say(stack.baseUrl, long)));
      return / 200 /.test(await (await openStream(port)).head);
    });
    expect(await healthStatus(stack.baseUrl)).toBe(200);
  });
});
