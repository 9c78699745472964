import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiFields, handleApiMethod } from "./fake-slack-api.ts";
import {
  parseFields,
  sendJson,
  sendOverHttp,
  sendOverSocket,
  serveDownload,
  signedPost,
} from "./fake-slack-http.ts";
import { FakeSlackSocket } from "./fake-slack-socket.ts";
import type {
  BotAnswer,
  FakeFile,
  FakeMessage,
  FakeView,
  SendOptions,
  SlackCall,
} from "./fake-slack-types.ts";
import { type FakeWorkspace, FakeWorkspaces } from "./fake-slack-workspaces.ts";

export type {
  BotAnswer,
  FakeBlock,
  FakeFile,
  FakeMessage,
  FakeView,
  SendOptions,
  SlackCall,
} from "./fake-slack-types.ts";

/**
 * A loopback Slack: the Web API under /api/<method>, the upload URLs it hands out, private file
 * downloads that demand the bot token, response_url posts, and Socket Mode; it records every call.
 * It also plays Slack towards the bot: signed HTTP requests, or envelopes over Socket Mode.
 */
export class FakeSlack {
  readonly teamId = "T0FAKE";
  readonly botUserId = "U0BOT";
  readonly botId = "B0BOT";
  readonly channelId = "C0FAKE";
  readonly botToken = "xoxb-fake-bot-token";
  /** Files longer than this are refused (file_too_large), as a workspace's limit does. */
  maxUploadBytes = Number.POSITIVE_INFINITY;
  readonly appToken = "xapp-fake-app-token";
  readonly signingSecret = "fake-signing-secret";
  readonly calls: SlackCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly files = new Map<string, FakeFile>();
  readonly views: FakeView[] = [];
  readonly userNames = new Map<string, string>();
  /** Direct-message channels opened with `conversations.open`, by user id. */
  readonly directMessageChannels = new Map<string, string>();
  /** Where HTTP requests for the bot go (its /slack/events). */
  botUrl = "";
  /** Workspaces that install the app through OAuth, each with its own bot token. */
  readonly workspaces = new FakeWorkspaces();
  /** How `send` reaches the bot. */
  transport: "http" | "socket" = "http";
  readonly #uploads = new Map<string, { name: string; length: number; bytes?: Buffer }>();
  readonly #failures: Array<{ method: string; error: string; afterApplying: boolean }> = [];
  readonly #server: Server;
  readonly #socket: FakeSlackSocket;
  #sequence = 0;

  private constructor() {
    this.#server = createServer((request, response) => void this.#onHttp(request, response));
    this.#socket = new FakeSlackSocket(this.#server);
  }

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    fake.#server.listen(0, "127.0.0.1");
    await once(fake.#server, "listening");
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Pass as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get socket(): FakeSlackSocket {
    return this.#socket;
  }

  /** Increasing Slack timestamps ("1700000001.000001"). */
  nextTs(): string {
    this.#sequence += 1;
    return `${1_700_000_000 + this.#sequence}.${String(this.#sequence).padStart(6, "0")}`;
  }

  addMessage(message: Omit<FakeMessage, "ts">): FakeMessage {
    const versions = [{ text: message.text, blocks: message.blocks }];
    const stored = { ...message, ts: this.nextTs(), versions };
    this.messages.push(stored);
    return stored;
  }

  findMessage(channel: string, ts: string): FakeMessage | undefined {
    return this.messages.find((message) => message.channel === channel && message.ts === ts);
  }

  /** The workspace a bot token is for: the fake's own, or one installed through OAuth. */
  workspaceOf(authorization: string | undefined): FakeWorkspace | undefined {
    if (authorization === `Bearer ${this.botToken}`) return this.defaultWorkspace;
    return this.workspaces.byToken(authorization?.replace(/^Bearer /, ""));
  }

  get defaultWorkspace(): FakeWorkspace {
    const { teamId, botToken, botUserId, botId, channelId } = this;
    return { teamId, teamName: "Fake Team", botToken, botUserId, botId, channelId };
  }

  /** A private file on the fake, downloadable only with the bot token. */
  file(name: string, bytes: Buffer, mimetype: string): FakeFile {
    const id = `F${this.files.size + 1}X${this.#sequence}`;
    const url = `${this.url}/files-pri/${this.teamId}-${id}/${encodeURIComponent(name)}`;
    const file: FakeFile = {
      id,
      name,
      title: name,
      mimetype,
      filetype: name.split(".").pop() ?? "",
      size: bytes.length,
      url_private: url,
      url_private_download: `${url}?download=1`,
      bytes,
    };
    this.files.set(id, file);
    return file;
  }

  /**
   * The next call to `method` answers `{ ok: false, error }`. With `afterApplying`, Slack does what
   * was asked first (the message or file is posted) and only the answer is lost.
   */
  failNext(method: string, error: string, { afterApplying = false } = {}): void {
    this.#failures.push({ method, error, afterApplying });
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Bytes uploaded to the URLs this fake handed out, by file id. */
  uploadedBytes(fileId: string): Buffer | undefined {
    return this.#uploads.get(fileId)?.bytes;
  }

  startUpload(name: string, length: number): string {
    const fileId = `FUP${this.#uploads.size + 1}`;
    this.#uploads.set(fileId, { name, length });
    return fileId;
  }

  completeUploads(
    fields: ApiFields,
    workspace: FakeWorkspace = this.defaultWorkspace,
  ): Record<string, unknown> {
    const entries = (fields.files ?? []) as Array<{ id: string; title?: string }>;
    const files: FakeFile[] = [];
    for (const entry of entries) {
      const upload = this.#uploads.get(entry.id);
      if (!upload?.bytes) return { ok: false, error: "invalid_file" };
      const file = this.file(upload.name, upload.bytes, "video/mp4");
      files.push({ ...file, id: entry.id });
    }
    const threadTs = fields.thread_ts === undefined ? undefined : String(fields.thread_ts);
    this.addMessage({
      channel: String(fields.channel_id ?? ""),
      user: workspace.botUserId,
      bot_id: workspace.botId,
      text: String(fields.initial_comment ?? ""),
      files,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    return { ok: true, files: entries.map((entry) => ({ id: entry.id, title: entry.title })) };
  }

  /** A message a user posted in the channel (or a thread). */
  userMessage(
    user: { id: string },
    text: string,
    options: { files?: FakeFile[]; threadTs?: string; channel?: string } = {},
  ): FakeMessage {
    return this.addMessage({
      channel: options.channel ?? this.channelId,
      user: user.id,
      text,
      ...(options.files ? { files: options.files } : {}),
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    });
  }

  /** Sends an event envelope, a slash command or an interaction to the bot, as Slack would. */
  async send(
    kind: "event" | "command" | "interactive",
    payload: Record<string, unknown>,
    options: SendOptions = {},
  ): Promise<BotAnswer> {
    if (this.transport === "socket")
      return await sendOverSocket(this.#socket, kind, payload, options);
    return await sendOverHttp(this, kind, payload, options);
  }

  /** POSTs to the bot with Slack's signature headers (exact content type, as Slack sends it). */
  signedPost(body: string, contentType: string, options: SendOptions = {}): Promise<BotAnswer> {
    return signedPost(this, body, contentType, options);
  }

  async close(): Promise<void> {
    this.#socket.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #onHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const url = new URL(request.url ?? "/", this.url);
    const authorization = request.headers.authorization;
    const record = (kind: SlackCall["kind"], method: string, fields: ApiFields = {}) =>
      this.calls.push({ kind, method, fields, authorization, bytes, at: Date.now() });
    if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      const fields = parseFields(request.headers["content-type"], bytes);
      record("api", method, fields);
      return sendJson(response, this.#api(method, fields, authorization));
    }
    if (url.pathname.startsWith("/upload/")) {
      const upload = this.#uploads.get(url.pathname.slice("/upload/".length));
      record("upload", url.pathname);
      if (!upload) return void response.writeHead(404).end();
      upload.bytes = bytes;
      return void response
        .writeHead(200, { "content-type": "text/plain" })
        .end(`OK - ${bytes.length}`);
    }
    if (url.pathname.startsWith("/respond/")) {
      record("respond", url.pathname, JSON.parse(bytes.toString("utf8") || "{}") as ApiFields);
      return void response.writeHead(200, { "content-type": "text/plain" }).end("ok");
    }
    if (url.pathname === "/oauth/v2/authorize") {
      record("authorize", url.pathname);
      return this.workspaces.authorize(url, response);
    }
    if (url.pathname.startsWith("/files-pri/")) {
      record("download", url.pathname);
      return serveDownload(this, url, authorization, response);
    }
    response.writeHead(404).end();
  }

  #api(method: string, fields: ApiFields, authorization: string | undefined) {
    if (method === "oauth.v2.access") return this.workspaces.access(fields);
    const workspace =
      method === "apps.connections.open"
        ? authorization === `Bearer ${this.appToken}`
          ? this.defaultWorkspace
          : undefined
        : this.workspaceOf(authorization);
    if (!workspace) return { ok: false, error: "invalid_auth" };
    const failure = this.#failures.findIndex((item) => item.method === method);
    if (failure !== -1) {
      const [item] = this.#failures.splice(failure, 1);
      if (item?.afterApplying) handleApiMethod(this, method, fields, workspace);
      return { ok: false, error: item?.error };
    }
    if (method === "apps.connections.open") {
      return { ok: true, url: `${this.url.replace("http", "ws")}/link?ticket=fake` };
    }
    return handleApiMethod(this, method, fields, workspace);
  }
}
