import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeDiscord, type RecordedCall } from "../fakes/fake-discord.ts";
import { fakeUser, slashCommand } from "../fakes/fake-discord-payloads.ts";
import { serve } from "./worker-rpc.ts";

/**
 * The fake Discord (REST + gateway) in its own thread. It sends slash commands at a set pace and
 * reads back, from what its REST side received, when each was acknowledged and each video arrived.
 */
const fake = await FakeDiscord.start({ fastMultipart: true });
const now = () => performance.timeOrigin + performance.now();
const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
const users = Array.from({ length: 50 }, (_, index) =>
  fakeUser(`1000000000000${String(index).padStart(5, "0")}`, `user${index}`),
);
/** A plain HTTP server that reads and discards bodies: the raw loopback rate, with no parsing. */
const sinkReceipts: Array<{ startedAt: number; receivedAt: number; bytes: number }> = [];
const sink = createServer((request, response) => {
  const startedAt = now();
  let bytes = 0;
  request.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
  });
  request.on("end", () => {
    sinkReceipts.push({ startedAt, receivedAt: now(), bytes });
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
/** Every interaction sent, by batch prefix. */
const batches = new Map<string, Array<{ id: string; token: string; sentAt: number }>>();

export interface Upload {
  /** The `<prefix>-<n>` key of the prompt the video answers. */
  key: string;
  startedAt: number;
  receivedAt: number;
  bytes: number;
}

function isVideoUpload(call: RecordedCall): boolean {
  return (
    call.method === "POST" &&
    /^\/channels\/\d+\/messages$/.test(call.path) &&
    call.files.some((file) => file.contentType === "video/mp4")
  );
}

const handlers = {
  info: () => ({
    apiUrl: fake.apiUrl,
    channelId: fake.channelId,
    sinkUrl: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`,
  }),
  sinkReceipts: () => sinkReceipts,
  /** Gateway sessions opened so far (one per bot start). */
  identified: () => fake.identifyPayloads.length,
  /** New public threads (announced on the gateway), so deliveries need not share a channel. */
  createThreads: (count: number) => Array.from({ length: count }, () => fake.createThread()),
  /** `/video` from `count` users spread over `spreadMs`, prompts `<prefix>-<n> …`. */
  async burst(prefix: string, count: number, spreadMs: number, threadIds: string[] = []) {
    const sent: Array<{ id: string; token: string; sentAt: number }> = [];
    batches.set(prefix, sent);
    const started = now();
    while (sent.length < count) {
      const due = spreadMs <= 0 ? count : Math.ceil(((now() - started) / spreadMs) * count);
      for (let index = sent.length; index < Math.min(due, count); index++) {
        const threadId = threadIds.length > 0 ? threadIds[index % threadIds.length] : undefined;
        const sentAt = now();
        const { id, token } = slashCommand(
          fake,
          "video",
          { prompt: `${prefix}-${index} a paper boat drifting at dawn --dur 4` },
          {
            user: users[index % users.length] ?? fakeUser("1", "one"),
            ...(threadId ? { threadId } : {}),
          },
        );
        sent.push({ id, token, sentAt });
      }
      if (sent.length < count) await pause(2);
    }
    return { sent: sent.length, elapsedMs: now() - started };
  },
  /** Sent → the interaction callback's first byte, per interaction of the batch (ms); and those never answered. */
  acknowledgements(prefix: string) {
    const sent = batches.get(prefix) ?? [];
    const answered = new Map<string, number>();
    for (const call of fake.calls) {
      const id = /^\/interactions\/(\d+)\/[^/]+\/callback$/.exec(call.path)?.[1];
      if (id && !answered.has(id)) answered.set(id, call.startedAt);
    }
    const latencies: number[] = [];
    for (const interaction of sent) {
      const at = answered.get(interaction.id);
      if (at !== undefined) latencies.push(at - interaction.sentAt);
    }
    return { latencies, unanswered: sent.length - latencies.length };
  },
  /** Status cards shown (the deferred reply edited) for the batch. */
  cards(prefix: string): number {
    const tokens = new Set((batches.get(prefix) ?? []).map((interaction) => interaction.token));
    const shown = new Set<string>();
    for (const call of fake.calls) {
      const token = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(call.path)?.[1];
      if (call.method === "PATCH" && token && tokens.has(token)) shown.add(token);
    }
    return shown.size;
  },
  /** Every MP4 posted for the batch, in arrival order. */
  uploads(prefix: string): Upload[] {
    const pattern = new RegExp(`\\b(${prefix}-\\d+)\\b`);
    return fake.calls.filter(isVideoUpload).flatMap((call) => {
      const key = pattern.exec(String((call.json as { content?: string })?.content ?? ""))?.[1];
      const bytes = call.files.reduce((sum, file) => sum + file.bytes.length, 0);
      return key ? [{ key, startedAt: call.startedAt, receivedAt: call.at, bytes }] : [];
    });
  },
  restCalls: () => fake.calls.length,
  /** REST calls from index `from` on, counted by method and route (ids replaced by `:id`). */
  restCallsByRoute(from = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of fake.calls.slice(from)) {
      const route = `${call.method} ${call.path.replace(/\/\d{5,}/g, "/:id").replace(/\/webhooks\/:id\/[^/]+/, "/webhooks/:id/:token")}`;
      counts[route] = (counts[route] ?? 0) + 1;
    }
    return counts;
  },
  /** Drops the bytes of uploaded files kept for inspection (large transfers). */
  forgetFiles() {
    for (const call of fake.calls) for (const file of call.files) file.bytes = Buffer.alloc(0);
  },
  async close() {
    sink.close();
    await fake.close();
  },
};

export type DiscordMethods = typeof handlers;
serve(handlers);
