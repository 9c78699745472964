import { createHmac } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { FakeSlack } from "./fake-slack.ts";
import type { ApiFields } from "./fake-slack-api.ts";
import type { FakeSlackSocket, SocketEnvelopeType } from "./fake-slack-socket.ts";
import type { BotAnswer, SendOptions } from "./fake-slack-types.ts";

export function sendJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

/** Web API bodies: form fields (non-scalars JSON-encoded, as WebClient sends them) or JSON. */
export function parseFields(contentType: string | undefined, bytes: Buffer): ApiFields {
  const text = bytes.toString("utf8");
  if (contentType?.startsWith("application/json")) return JSON.parse(text || "{}") as ApiFields;
  const fields: ApiFields = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const looksJson = value.startsWith("[") || value.startsWith("{");
    try {
      fields[key] = looksJson ? JSON.parse(value) : value;
    } catch {
      fields[key] = value;
    }
  }
  return fields;
}

/** `url_private`: the bytes with the bot token; Slack's login page (a 200 HTML page) without it. */
export function serveDownload(
  fake: FakeSlack,
  url: URL,
  authorization: string | undefined,
  response: ServerResponse,
): void {
  const file = [...fake.files.values()].find(
    (candidate) => new URL(candidate.url_private).pathname === url.pathname,
  );
  if (!file) return void response.writeHead(404).end();
  if (authorization !== `Bearer ${fake.botToken}`) {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    return void response.end("<!DOCTYPE html><html><body>Sign in to Slack</body></html>");
  }
  response.writeHead(200, { "content-type": file.mimetype, "content-length": file.bytes.length });
  response.end(file.bytes);
}

/** POSTs to the bot with Slack's signature headers (exact content type, as Slack sends it). */
export async function signedPost(
  fake: FakeSlack,
  body: string,
  contentType: string,
  options: SendOptions = {},
): Promise<BotAnswer> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = options.badSignature ? "not-the-secret" : fake.signingSecret;
  const signature = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  const response = await fetch(fake.botUrl, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-signature": `v0=${signature}`,
      "x-slack-request-timestamp": String(timestamp),
      ...(options.retryNum
        ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" }
        : {}),
    },
    body,
  });
  return { status: response.status, body: await response.text(), at: Date.now() };
}

export type BotRequestKind = "event" | "command" | "interactive";

/** Events as JSON; slash commands as form fields; interactions as a `payload` form field. */
export function sendOverHttp(
  fake: FakeSlack,
  kind: BotRequestKind,
  payload: Record<string, unknown>,
  options: SendOptions,
): Promise<BotAnswer> {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const body =
    kind === "event"
      ? JSON.stringify(payload)
      : kind === "command"
        ? form(payload as Record<string, string>)
        : form({ payload: JSON.stringify(payload) });
  const contentType = kind === "event" ? "application/json" : "application/x-www-form-urlencoded";
  return signedPost(fake, body, contentType, options);
}

export async function sendOverSocket(
  socket: FakeSlackSocket,
  kind: BotRequestKind,
  payload: Record<string, unknown>,
  options: SendOptions,
): Promise<BotAnswer> {
  const type: SocketEnvelopeType =
    kind === "event" ? "events_api" : kind === "command" ? "slash_commands" : "interactive";
  const ack = await socket.send(type, payload, options.retryNum ?? 0);
  return { status: 200, body: JSON.stringify(ack), at: Date.now() };
}
