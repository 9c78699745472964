import { randomBytes } from "node:crypto";
import { createParser } from "eventsource-parser";
import { request } from "undici";
import type { CardEntry, Entry } from "../../../adapters/playground/index.ts";

export function clientId(): string {
  return randomBytes(9).toString("hex");
}

export interface ApiAnswer {
  status: number;
  body: { entries?: Entry[]; error?: { message: string }; attachment?: { id: string } };
}

/** The playground's HTTP API as the page uses it, over real HTTP (undici). */
export class PlaygroundClient {
  readonly baseUrl: string;
  readonly headers: Record<string, string>;

  constructor(baseUrl: string, headers: Record<string, string> = {}) {
    this.baseUrl = baseUrl;
    this.headers = headers;
  }

  async post(path: string, body: unknown): Promise<ApiAnswer> {
    const response = await request(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { ...this.headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as ApiAnswer["body"] };
  }

  async upload(bytes: Uint8Array, fileName: string): Promise<ApiAnswer> {
    const response = await request(`${this.baseUrl}/api/uploads`, {
      method: "POST",
      headers: {
        ...this.headers,
        "content-type": "application/octet-stream",
        "x-file-name": encodeURIComponent(fileName),
      },
      body: bytes,
    });
    return { status: response.statusCode, body: (await response.body.json()) as ApiAnswer["body"] };
  }

  sendMessage(threadId: string, text: string, extra: Record<string, unknown> = {}) {
    return this.post("/api/messages", { clientRequestId: clientId(), threadId, text, ...extra });
  }

  async bytes(
    path: string,
  ): Promise<{ status: number; bytes: Buffer; headers: Record<string, unknown> }> {
    const response = await request(new URL(path, `${this.baseUrl}/`), { headers: this.headers });
    return {
      status: response.statusCode,
      bytes: Buffer.from(await response.body.arrayBuffer()),
      headers: response.headers,
    };
  }

  /** Listens to `/api/events` as the page does and keeps what it was shown. */
  async events(): Promise<EventLog> {
    const response = await request(`${this.baseUrl}/api/events`, { headers: this.headers });
    const log = new EventLog(() => response.body.destroy());
    const parser = createParser({
      onEvent: (event) => {
        const data = JSON.parse(event.data) as { entries?: Entry[] } & Entry;
        if (event.event === "snapshot") for (const entry of data.entries ?? []) log.record(entry);
        else log.record(data);
      },
    });
    const decoder = new TextDecoder();
    void (async () => {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
    })().catch(() => undefined);
    return log;
  }
}

/** Entries pushed to one open page, and every phase each card went through. */
export class EventLog {
  readonly entries = new Map<string, Entry>();
  readonly phases = new Map<string, string[]>();
  readonly close: () => void;

  constructor(close: () => void) {
    this.close = close;
  }

  record(entry: Entry): void {
    this.entries.set(entry.id, entry);
    if (entry.kind !== "card") return;
    const seen = this.phases.get(entry.jobId) ?? [];
    if (seen.at(-1) !== entry.phase) seen.push(entry.phase);
    this.phases.set(entry.jobId, seen);
  }

  inThread(threadId: string): Entry[] {
    return [...this.entries.values()].filter((entry) => entry.threadId === threadId);
  }

  cards(threadId: string): CardEntry[] {
    return this.inThread(threadId).filter((entry): entry is CardEntry => entry.kind === "card");
  }
}
