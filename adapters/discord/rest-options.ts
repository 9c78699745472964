import { STATUS_CODES } from "node:http";
import { Readable } from "node:stream";
import type { RESTOptions } from "discord.js";
import { Agent, FormData, Headers, request } from "undici";

/** Told about every REST answer: its status, or undefined when no answer came (network error). */
export type ResponseObserver = (url: string, status: number | undefined) => void;

type RequestInit = Parameters<RESTOptions["makeRequest"]>[1];
type ResponseLike = Awaited<ReturnType<RESTOptions["makeRequest"]>>;

/**
 * The body in a form undici sends. The project's undici only sends its own FormData, while
 * @discordjs/rest builds Node's: the entries (strings and blobs) move across without being read.
 */
function undiciBody(body: RequestInit["body"]): string | Uint8Array | FormData | Readable | null {
  if (body === undefined || body === null) return null;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof globalThis.FormData) {
    const form = new FormData();
    for (const [name, value] of (body as globalThis.FormData).entries()) form.append(name, value);
    return form;
  }
  // A body streamed from a file (an upload): read afresh for every attempt, retries included.
  if (Symbol.asyncIterator in body) return Readable.from(body as AsyncIterable<Uint8Array>);
  throw new TypeError("a Discord request body of an unexpected kind");
}

/** @discordjs/rest reads status, headers and the body the way a fetch Response offers them. */
async function send(dispatcher: Agent, url: string, init: RequestInit): Promise<ResponseLike> {
  const answer = await request(url, {
    dispatcher,
    method: (init.method ?? "GET") as "GET",
    headers: init.headers as Record<string, string>,
    body: undiciBody(init.body),
    ...(init.signal ? { signal: init.signal as AbortSignal } : {}),
  });
  const { body } = answer;
  return {
    body,
    arrayBuffer: () => body.arrayBuffer(),
    json: () => body.json(),
    text: () => body.text(),
    get bodyUsed() {
      return body.bodyUsed;
    },
    headers: new Headers(answer.headers as Record<string, string>),
    status: answer.statusCode,
    statusText: STATUS_CODES[answer.statusCode] ?? "",
    ok: answer.statusCode >= 200 && answer.statusCode < 300,
  } as unknown as ResponseLike;
}

/**
 * REST settings shared by the bot and the deploy script. Requests go through undici's `request`
 * on the bot's own connection pool rather than fetch: under a burst of commands the
 * acknowledgements are most of the bot's work, and `request` costs a fraction of fetch's CPU.
 */
export function restOptions(
  apiUrl: string | undefined,
  retries?: number,
  observe?: ResponseObserver,
): Partial<RESTOptions> {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 });
  return {
    api: apiUrl ?? "https://discord.com/api",
    makeRequest: async (url, { dispatcher: _dispatcher, ...init }) => {
      try {
        const response = await send(dispatcher, url, init);
        observe?.(url, response.status);
        return response;
      } catch (error) {
        observe?.(url, undefined);
        throw error;
      }
    },
    ...(retries === undefined ? {} : { retries }),
  };
}
