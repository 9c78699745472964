import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { request as undiciRequest } from "undici";
import {
  closeServer,
  listen,
  type RecordedRequest,
  recordRequest,
  sendBytes,
  sendJson,
} from "./fake-oxen-http.ts";
import { type ScriptedFault, ScriptedFaults } from "./scripted-faults.ts";

const video = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));
const appId = "bytedance/seedance-2.0";
const endpoints = new Set(
  ["text", "image", "reference"].flatMap((mode) => [`${mode}-to-video`, `fast/${mode}-to-video`]),
);

/** A file put into the fake's storage: what `PUT upload_url` carried. */
export interface FakeFalStoredFile {
  fileName: string;
  /** What the initiate call declared. */
  contentType: string;
  /** The PUT's own content type and bytes; absent until the bytes arrive. */
  putContentType?: string;
  bytes?: Buffer;
}

export interface FakeFalRequest {
  id: string;
  endpoint: string;
  input: Record<string, unknown>;
  status: "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED";
  queuePosition: number;
  webhookUrl?: string;
  outcome?: { kind: "video" } | { kind: "error"; status: number; detail: string; type?: string };
  cancelled?: boolean;
}

/**
 * A node:http stand-in for queue.fal.run on 127.0.0.1, from fal's queue documentation: submit
 * (`POST /{app}/{subpath}`, `?fal_webhook=`), status, result and cancel under
 * `/{app}/requests/{id}`; `Authorization: Key …`; webhooks `{request_id, status, payload}`;
 * result videos on a second "CDN" server that needs no key. Every request is recorded.
 */
export async function startFakeFalServer(options: { apiKey?: string } = {}) {
  const apiKey = options.apiKey ?? "fal-test-key:secret";
  const requests: RecordedRequest[] = [];
  const cdnRequests: RecordedRequest[] = [];
  const jobs = new Map<string, FakeFalRequest>();
  const faults = new ScriptedFaults();
  const webhooksSent: Array<{ url: string; status: number }> = [];
  const storedFiles = new Map<string, FakeFalStoredFile>();

  const cdn = createServer((request, response) => {
    void recordRequest(request, cdnRequests).then((recorded) => {
      const { pathname } = recorded;
      if (serveStorage(recorded, response)) return;
      const id = /^\/files\/([^/]+)\.mp4$/.exec(pathname)?.[1];
      if (id && jobs.get(id)?.outcome?.kind === "video") sendBytes(response, video, "video/mp4");
      else sendJson(response, 404, { detail: "Not found" });
    });
  });
  const cdnBaseUrl = await listen(cdn);

  const api = createServer((request, response) => {
    void recordRequest(request, requests).then((recorded) => {
      if (faults.answer(recorded, request, response, () => ({ detail: "Scripted fault" }))) return;
      if (request.headers.authorization !== `Key ${apiKey}`) {
        sendJson(response, 401, { detail: "Invalid key" });
        return;
      }
      route(recorded, response);
    });
  });
  const baseUrl = await listen(api);
  const urlsOf = (id: string) => {
    const response_url = `${baseUrl}/${appId}/requests/${id}`;
    return {
      response_url,
      status_url: `${response_url}/status`,
      cancel_url: `${response_url}/cancel`,
    };
  };

  /** `PUT /upload/{id}` (the signed upload URL, no key) and `GET /uploads/{id}/{name}` (file_url). */
  function serveStorage(recorded: RecordedRequest, response: ServerResponse): boolean {
    const upload = /^\/upload\/([^/]+)$/.exec(recorded.pathname)?.[1];
    const file = /^\/uploads\/([^/]+)\/[^/]+$/.exec(recorded.pathname)?.[1];
    const stored = storedFiles.get(upload ?? file ?? "");
    if (!stored) return false;
    if (upload && recorded.method === "PUT") {
      stored.bytes = recorded.raw;
      stored.putContentType = String(recorded.headers["content-type"] ?? "");
      sendJson(response, 200, {});
    } else if (file && recorded.method === "GET" && stored.bytes) {
      sendBytes(response, stored.bytes, stored.contentType);
    } else sendJson(response, 404, { detail: "Not found" });
    return true;
  }

  /** `POST /storage/upload/initiate?storage_type=fal-cdn-v3` `{content_type, file_name}`. */
  function initiateUpload(recorded: RecordedRequest, response: ServerResponse) {
    const body = recorded.body as { content_type?: unknown; file_name?: unknown } | undefined;
    if (recorded.query.get("storage_type") !== "fal-cdn-v3") {
      return sendJson(response, 422, { detail: "Unknown storage_type" });
    }
    if (typeof body?.content_type !== "string" || typeof body.file_name !== "string") {
      return sendJson(response, 422, { detail: "content_type and file_name are required" });
    }
    const id = randomUUID();
    storedFiles.set(id, { fileName: body.file_name, contentType: body.content_type });
    sendJson(response, 200, {
      upload_url: `${cdnBaseUrl}/upload/${id}`,
      file_url: `${cdnBaseUrl}/uploads/${id}/${encodeURIComponent(body.file_name)}`,
    });
  }

  function route(recorded: RecordedRequest, response: ServerResponse) {
    const { method, pathname } = recorded;
    if (method === "POST" && pathname === "/storage/upload/initiate") {
      return initiateUpload(recorded, response);
    }
    const prefix = `/${appId}/`;
    if (!pathname.startsWith(prefix)) return sendJson(response, 404, { detail: "Not found" });
    const rest = pathname.slice(prefix.length);
    if (method === "POST" && endpoints.has(rest)) return submit(rest, recorded, response);
    const match = /^requests\/([^/]+)(\/status|\/cancel)?$/.exec(rest);
    const job = match ? jobs.get(decodeURIComponent(match[1] as string)) : undefined;
    if (!match || !job) return sendJson(response, 404, { detail: "Request not found" });
    if (method === "GET" && match[2] === "/status") {
      const position = job.status === "IN_QUEUE" ? { queue_position: job.queuePosition } : {};
      return sendJson(response, 200, { status: job.status, ...position, ...urlsOf(job.id) });
    }
    if (method === "PUT" && match[2] === "/cancel") {
      if (job.status !== "IN_QUEUE")
        return sendJson(response, 400, { status: "ALREADY_COMPLETED" });
      job.cancelled = true;
      job.status = "COMPLETED";
      job.outcome = { kind: "error", status: 400, detail: "Request was cancelled" };
      return sendJson(response, 202, { status: "CANCELLATION_REQUESTED" });
    }
    if (method === "GET" && match[2] === undefined) {
      if (job.status !== "COMPLETED")
        return sendJson(response, 400, { detail: "Request is still in progress" });
      const outcome = job.outcome;
      if (outcome?.kind === "error") {
        return sendJson(response, outcome.status, {
          detail: outcome.detail,
          ...(outcome.type ? { error_type: outcome.type } : {}),
        });
      }
      return sendJson(response, 200, {
        video: { url: `${cdnBaseUrl}/files/${job.id}.mp4`, content_type: "video/mp4" },
        seed: 42,
      });
    }
    sendJson(response, 405, { detail: "Method not allowed" });
  }

  function submit(endpoint: string, recorded: RecordedRequest, response: ServerResponse) {
    const input = recorded.body as Record<string, unknown> | undefined;
    const refusal = refusalOf(endpoint, input);
    if (refusal) return sendJson(response, 422, { detail: [refusal] });
    const id = randomUUID();
    const webhookUrl = recorded.query.get("fal_webhook") ?? undefined;
    jobs.set(id, {
      id,
      endpoint,
      input: input as Record<string, unknown>,
      status: "IN_QUEUE",
      queuePosition: [...jobs.values()].filter((each) => each.status === "IN_QUEUE").length,
      ...(webhookUrl ? { webhookUrl } : {}),
    });
    sendJson(response, 200, { request_id: id, ...urlsOf(id) });
  }

  const jobOf = (id: string) => {
    const job = jobs.get(id);
    if (!job) throw new Error(`the fake fal queue has no request ${id}`);
    return job;
  };

  async function webhook(job: FakeFalRequest) {
    if (!job.webhookUrl) return;
    const ok = job.outcome?.kind === "video";
    const body = ok
      ? {
          request_id: job.id,
          status: "OK",
          payload: { video: { url: `${cdnBaseUrl}/files/${job.id}.mp4` } },
        }
      : { request_id: job.id, status: "ERROR", error: "Failed", payload: null };
    const answer = await undiciRequest(job.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await answer.body.dump();
    webhooksSent.push({ url: job.webhookUrl, status: answer.statusCode });
  }

  return {
    baseUrl,
    cdnBaseUrl,
    apiKey,
    requests,
    cdnRequests,
    jobs,
    webhooksSent,
    /** Files in the fake's storage, by id; `file_url`s on the CDN serve them. */
    storedFiles,
    /** FAL_STORAGE_URL for this fake: the same server as the queue. */
    storageUrl: baseUrl,
    submits: () => requests.filter((request) => request.method === "POST"),
    start(id: string) {
      jobOf(id).status = "IN_PROGRESS";
    },
    setQueuePosition(id: string, position: number) {
      jobOf(id).queuePosition = position;
    },
    async complete(id: string) {
      const job = jobOf(id);
      Object.assign(job, { status: "COMPLETED", outcome: { kind: "video" } });
      await webhook(job);
    },
    async fail(id: string, detail: string, options: { status?: number; type?: string } = {}) {
      const job = jobOf(id);
      job.status = "COMPLETED";
      job.outcome = {
        kind: "error",
        status: options.status ?? 422,
        detail,
        ...(options.type ? { type: options.type } : {}),
      };
      await webhook(job);
    },
    failNext(method: string, pattern: string | RegExp, status: number, fault: ScriptedFault = {}) {
      faults.add(method, pattern, status, fault);
    },
    async close() {
      await closeServer(api);
      await closeServer(cdn);
    },
  };
}
export type FakeFalServer = Awaited<ReturnType<typeof startFakeFalServer>>;

/** fal's documented input checks for Seedance 2.0, as a 422 `{detail:[{loc,msg,type}]}` item. */
function refusalOf(endpoint: string, input: Record<string, unknown> | undefined) {
  const issue = (field: string, msg: string) => ({
    loc: ["body", field],
    msg,
    type: "value_error",
  });
  if (!input || typeof input.prompt !== "string" || !input.prompt)
    return issue("prompt", "Field required");
  if (input.duration !== undefined && !/^(auto|[4-9]|1[0-5])$/.test(String(input.duration))) {
    return issue("duration", "Input should be 'auto' or '4'…'15'");
  }
  if (typeof input.duration === "number")
    return issue("duration", "Input should be a valid string");
  if (input.resolution !== undefined && !["480p", "720p"].includes(String(input.resolution))) {
    return issue("resolution", "Input should be '480p' or '720p'");
  }
  if (endpoint.endsWith("image-to-video") && typeof input.image_url !== "string") {
    return issue("image_url", "Field required");
  }
  return undefined;
}
