import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeDiscord, RecordedCall, RecordedFile } from "./fake-discord.ts";
import {
  type Body,
  createMessage,
  editMessage,
  interactionCallback,
  listMessages,
} from "./fake-discord-messages.ts";
import { splitMultipart } from "./fake-discord-multipart.ts";

/** Multipart bodies are read with the platform's own `Request.formData()` (or split as bytes with `fastMultipart`). */
async function parseBody(
  request: IncomingMessage,
  url: URL,
  raw: Buffer,
  fastMultipart: boolean,
): Promise<{ json: unknown; files: RecordedFile[] }> {
  const type = request.headers["content-type"] ?? "";
  if (type.startsWith("multipart/form-data") && fastMultipart) return splitMultipart(raw, type);
  if (type.startsWith("multipart/form-data")) {
    const form = await new Request(url, {
      method: "POST",
      headers: { "content-type": type },
      body: raw,
    }).formData();
    const files: RecordedFile[] = [];
    let json: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") json = JSON.parse(value);
      } else {
        files.push({
          field,
          name: value.name,
          contentType: value.type,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { json, files };
  }
  if (type.startsWith("application/json") && raw.length > 0)
    return { json: JSON.parse(raw.toString("utf8")), files: [] };
  return { json: undefined, files: [] };
}

function send(response: ServerResponse, status: number, body?: unknown): number {
  if (body === undefined) {
    response.writeHead(status).end();
  } else {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }
  return status;
}

const unknownMessage = { message: "Unknown Message", code: 10008 };
const invalidToken = { message: "Invalid Webhook Token", code: 50027 };
const alreadyAcknowledged = { message: "Interaction has already been acknowledged.", code: 40060 };

function webhookRoute(
  fake: FakeDiscord,
  method: string,
  token: string,
  messageId: string | undefined,
  body: Body,
  files: RecordedFile[],
  response: ServerResponse,
): number {
  const interaction = fake.interactions.get(token);
  if (!interaction || interaction.expired) return send(response, 401, invalidToken);
  if (messageId === undefined) {
    if (method !== "POST") return send(response, 405, { message: "405", code: 0 });
    return send(
      response,
      200,
      createMessage(fake, interaction.channelId, body, files, { webhook_id: fake.applicationId }),
    );
  }
  const id = messageId === "@original" ? interaction.originalMessageId : messageId;
  const message = id ? fake.messages.get(id) : undefined;
  if (!message) return send(response, 404, unknownMessage);
  if (method === "GET") return send(response, 200, message);
  if (method === "DELETE") {
    fake.messages.delete(message.id);
    return send(response, 204);
  }
  return send(response, 200, editMessage(fake, message, body, files));
}

interface RouteInput {
  fake: FakeDiscord;
  method: string;
  path: string;
  query: URLSearchParams;
  captures: string[];
  body: Body;
  files: RecordedFile[];
  response: ServerResponse;
}

type Route = [method: string | undefined, pattern: RegExp, handle: (input: RouteInput) => number];

const routes: Route[] = [
  [
    "GET",
    /^\/gateway\/bot$/,
    ({ fake, response }) =>
      send(response, 200, {
        url: fake.url.replace("http", "ws"),
        shards: fake.shardCount,
        session_start_limit: {
          total: 1000,
          remaining: 1000,
          reset_after: 0,
          max_concurrency: fake.maxConcurrency,
        },
      }),
  ],
  [
    "GET",
    /^\/applications\/@me$/,
    ({ fake, response }) =>
      send(response, 200, {
        id: fake.applicationId,
        name: "seedance",
        bot: fake.botUser,
        flags: 0,
      }),
  ],
  [
    "PUT",
    /^\/applications\/\d+(?:\/guilds\/\d+)?\/commands$/,
    ({ fake, body, response }) => {
      const commands = Array.isArray(body) ? (body as Body[]) : [];
      const registered = commands.map((command) => ({
        ...command,
        id: fake.snowflake(),
        application_id: fake.applicationId,
        version: "1",
      }));
      return send(response, 200, registered);
    },
  ],
  [
    "POST",
    /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
    ({ fake, captures, body, files, response }) => {
      if (fake.interactions.get(captures[1] ?? "")?.acknowledged)
        return send(response, 400, alreadyAcknowledged);
      return interactionCallback(fake, captures[0] ?? "", captures[1] ?? "", body, files)
        ? send(response, 204)
        : send(response, 404, { message: "Unknown interaction", code: 10062 });
    },
  ],
  [
    undefined,
    /^\/webhooks\/\d+\/([^/]+)(?:\/messages\/([^/]+))?$/,
    ({ fake, method, captures, body, files, response }) =>
      webhookRoute(fake, method, captures[0] ?? "", captures[1], body, files, response),
  ],
  ["GET", /^\/users\/@me$/, ({ fake, response }) => send(response, 200, fake.botUser)],
  [
    // Create DM: the same channel again for the same recipient, as Discord answers.
    "POST",
    /^\/users\/@me\/channels$/,
    ({ fake, body, response }) => {
      const recipient = typeof body.recipient_id === "string" ? body.recipient_id : undefined;
      if (!recipient) return send(response, 400, { message: "Invalid Form Body", code: 50035 });
      const id = fake.directMessageChannels.get(recipient) ?? fake.snowflake();
      fake.directMessageChannels.set(recipient, id);
      return send(response, 200, {
        id,
        type: 1,
        last_message_id: null,
        recipients: [{ id: recipient, username: "requester", discriminator: "0", avatar: null }],
      });
    },
  ],
  [
    "GET",
    /^\/channels\/(\d+)\/messages$/,
    ({ fake, captures, query, response }) =>
      send(response, 200, listMessages(fake, captures[0] ?? "", query)),
  ],
  [
    "POST",
    /^\/channels\/(\d+)\/messages$/,
    ({ fake, captures, body, files, response }) =>
      send(response, 200, createMessage(fake, captures[0] ?? "", body, files)),
  ],
  [
    undefined,
    /^\/channels\/\d+\/messages\/\d+\/reactions\//,
    ({ response }) => send(response, 204),
  ],
  [
    undefined,
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    ({ fake, method, captures, body, files, response }) => {
      const message = fake.messages.get(captures[1] ?? "");
      if (!message || message.channel_id !== captures[0])
        return send(response, 404, unknownMessage);
      if (method === "GET") return send(response, 200, message);
      if (method === "DELETE") {
        fake.messages.delete(message.id);
        return send(response, 204);
      }
      return send(response, 200, editMessage(fake, message, body, files));
    },
  ],
  [
    "POST",
    /^\/attachments\/refresh-urls$/,
    ({ fake, body, response }) => {
      const asked = (body as { attachment_urls?: string[] } | undefined)?.attachment_urls ?? [];
      const refreshed_urls = asked.flatMap((original) => {
        const refreshed = fake.refreshedCdnUrl(original);
        return refreshed ? [{ original, refreshed }] : [];
      });
      return send(response, 200, { refreshed_urls });
    },
  ],
  [
    "GET",
    /^\/channels\/(\d+)$/,
    ({ fake, captures, response }) => {
      const channel = fake.channels().find((candidate) => candidate.id === captures[0]);
      return channel
        ? send(response, 200, channel)
        : send(response, 404, { message: "Unknown Channel", code: 10003 });
    },
  ],
];

function route(input: Omit<RouteInput, "captures">): number {
  for (const [method, pattern, handle] of routes) {
    const match = pattern.exec(input.path);
    if (match && (method === undefined || method === input.method)) {
      return handle({ ...input, captures: match.slice(1) });
    }
  }
  const message = `404: Not Found (${input.method} ${input.path})`;
  return send(input.response, 404, { message, code: 0 });
}

/** Where the answer of a request that is applied but then failed goes: nowhere. */
function discarded(): ServerResponse {
  const sink = { writeHead: () => sink, end: () => sink };
  return sink as unknown as ServerResponse;
}

/** Answers one REST request the way Discord would and records it. */
export async function handleRest(
  fake: FakeDiscord,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  raw: Buffer,
  startedAt = performance.timeOrigin + performance.now(),
): Promise<void> {
  const method = request.method ?? "GET";
  const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ""));
  const { json, files } = await parseBody(request, url, raw, fake.fastMultipart);
  const call: RecordedCall = {
    method,
    path,
    query: url.searchParams,
    authorization: request.headers.authorization,
    json,
    files,
    status: 0,
    at: Date.now(),
    startedAt,
  };
  const tooLarge = files.some((file) => file.bytes.length > fake.maxUploadBytes)
    ? { status: 413, body: { message: "Request entity too large", code: 40005 } }
    : undefined;
  const failure = tooLarge ?? fake.takeFailure(method, path);
  const input = { fake, method, path, query: url.searchParams, body: (json ?? {}) as Body, files };
  if (failure && "afterApplying" in failure && failure.afterApplying)
    route({ ...input, response: discarded() });
  call.status = failure
    ? send(response, failure.status, failure.body)
    : route({ ...input, response });
  fake.calls.push(call);
}
