import type { IncomingMessage, ServerResponse } from "node:http";

/** How much of a request body `/slack/events` reads, by whether it claims to be signed. */
export interface SlackBodyLimits {
  /** SLACK_EVENT_MAX_BYTES: a request carrying Slack's signature headers. */
  signedBytes: number;
  /** SLACK_UNSIGNED_MAX_BYTES: anything else (only Slack's SSL probe is answered). */
  unsignedBytes: number;
  /** SLACK_EVENT_BUFFER_BYTES: bodies held at once, all requests together. */
  heldBytes: number;
}

export const defaultSlackBodyLimits: SlackBodyLimits = {
  signedBytes: 1024 ** 2,
  unsignedBytes: 4096,
  heldBytes: 16 * 1024 ** 2,
};

/**
 * How many bytes of request bodies may be held at once. Each request reserves what it declares
 * (or its whole limit, when it does not say) before a byte is read, and gives it back when done.
 */
export class BodyBudget {
  readonly #capacity: number;
  #held = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  reserve(bytes: number): boolean {
    if (this.#held + bytes > this.#capacity) return false;
    this.#held += bytes;
    return true;
  }

  release(bytes: number): void {
    this.#held -= bytes;
  }
}

/** Slack signs with a timestamp; one further than this from our clock, either way, is refused. */
export const timestampToleranceSeconds = 5 * 60;

const signaturePattern = /^v0=[0-9a-f]{64}$/;
const timestampPattern = /^[0-9]{1,12}$/;

export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Whether the request carries either of Slack's signature headers. */
export function claimsSignature(request: IncomingMessage): boolean {
  return (
    request.headers["x-slack-signature"] !== undefined ||
    request.headers["x-slack-request-timestamp"] !== undefined
  );
}

/**
 * Why the signature headers cannot be right, read before any of the body is: a malformed
 * signature, or a timestamp more than five minutes from now (in the past: a replay; in the
 * future: a request signed ahead of time). Undefined when they may be.
 */
export function signatureHeaderProblem(
  request: IncomingMessage,
  nowMilliseconds: number,
): string | undefined {
  const signature = header(request, "x-slack-signature") ?? "";
  const timestamp = header(request, "x-slack-request-timestamp") ?? "";
  if (!signaturePattern.test(signature)) return "the signature header is not a v0 signature";
  if (!timestampPattern.test(timestamp)) return "the timestamp header is not a number of seconds";
  const drift = Math.abs(Math.floor(nowMilliseconds / 1000) - Number(timestamp));
  if (drift > timestampToleranceSeconds) {
    return `the timestamp is ${drift} s from now (more than ${timestampToleranceSeconds} s)`;
  }
  return undefined;
}

/**
 * The body, or undefined once it is longer than `limit` (from Content-Length, or while reading).
 * Reading stops there without destroying the request, so the refusal can still be answered.
 */
export function readBodyAtMost(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | undefined> {
  if (Number(request.headers["content-length"]) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (outcome: () => void) => {
      request.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= limit) return void chunks.push(chunk);
      request.pause();
      finish(() => resolve(undefined));
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks)));
    const onError = (error: Error) => finish(() => reject(error));
    const onClose = () => finish(() => reject(new Error("the request closed before its end")));
    request.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

/**
 * Answers without a body. An unread or partly read body is not drained: the connection closes
 * once the answer is out, so a sender of endless bytes holds nothing of ours.
 */
export function answer(
  response: ServerResponse,
  status: number,
  options: { close?: boolean; retryAfterSeconds?: number } = {},
): void {
  if (options.close) response.shouldKeepAlive = false;
  response.writeHead(status, {
    ...(options.close ? { connection: "close" } : {}),
    ...(options.retryAfterSeconds ? { "retry-after": String(options.retryAfterSeconds) } : {}),
  });
  response.end();
}

/** A parsed body Bolt can take: a JSON object (not null, an array or a bare value). */
export function isEventBody(body: unknown): body is Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body);
}
