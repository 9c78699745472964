import type { ApiFields } from "./fake-slack-api.ts";

/** One request the fake received: a Web API method, an upload, a response_url post or a download. */
export interface SlackCall {
  kind: "api" | "upload" | "respond" | "download" | "authorize";
  /** The Web API method (`chat.postMessage`), or the path for other kinds. */
  method: string;
  fields: ApiFields;
  authorization: string | undefined;
  bytes: Buffer;
  at: number;
}

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
  bytes: Buffer;
}

export interface FakeBlock {
  type: string;
  elements?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string | undefined;
  user?: string | undefined;
  bot_id?: string | undefined;
  text: string;
  blocks?: FakeBlock[] | undefined;
  files?: FakeFile[] | undefined;
  /** Every text and blocks the message had, first to last (posted, then each chat.update). */
  versions?: Array<{ text: string; blocks: FakeBlock[] | undefined }>;
}

export interface FakeView {
  id: string;
  callback_id: string;
  private_metadata: string;
  blocks: FakeBlock[];
  [key: string]: unknown;
}

export interface BotAnswer {
  status: number;
  body: string;
  /** When the answer arrived (ms). */
  at: number;
}

export interface SendOptions {
  retryNum?: number;
  /** Sign with the wrong secret. */
  badSignature?: boolean;
  /** Unix seconds; default now. */
  timestamp?: number;
}
