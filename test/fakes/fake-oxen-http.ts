import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  pathname: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The body's bytes as received (multipart uploads are not text). */
  raw: Buffer;
  /** When the request arrived (ms since the epoch, sub-millisecond), before its body was read. */
  receivedAt: number;
}

/** Reads the whole request (JSON parsed when it is JSON) and appends it to `into`. */
export async function recordRequest(
  request: IncomingMessage,
  into: RecordedRequest[],
): Promise<RecordedRequest> {
  const receivedAt = performance.timeOrigin + performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const text = raw.toString("utf8");
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  const url = new URL(request.url ?? "/", "http://fake.invalid");
  const recorded: RecordedRequest = {
    method: request.method ?? "GET",
    path: `${url.pathname}${url.search}`,
    pathname: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    body,
    raw,
    receivedAt,
  };
  into.push(recorded);
  return recorded;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function sendBytes(response: ServerResponse, bytes: Buffer, contentType: string): void {
  response.writeHead(200, { "content-type": contentType, "content-length": bytes.length });
  response.end(bytes);
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The parts of a multipart/form-data request, read by the platform's own parser; undefined otherwise. */
export async function multipartOf(recorded: RecordedRequest): Promise<FormData | undefined> {
  const type = String(recorded.headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data")) return undefined;
  try {
    return await new Response(new Uint8Array(recorded.raw), {
      headers: { "content-type": type },
    }).formData();
  } catch {
    return undefined;
  }
}
