import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { request as undiciRequest } from "undici";
import {
  closeServer,
  listen,
  type RecordedRequest,
  recordRequest,
  sendBytes,
  sendJson,
} from "./fake-oxen-http.ts";
import { FakeUnifiedTaskFiles } from "./fake-unified-task-files.ts";
import {
  errorBody,
  type FakeDialect,
  type FakeTask,
  newFakeTask,
  renderTask,
} from "./fake-unified-task-tasks.ts";
import { refusalOf } from "./fake-unified-task-validation.ts";
import { type ScriptedFault, ScriptedFaults } from "./scripted-faults.ts";

export type { RecordedRequest } from "./fake-oxen-http.ts";
export type { FakeUploadedFile } from "./fake-unified-task-files.ts";
export type { FakeDialect, FakeTask } from "./fake-unified-task-tasks.ts";

export interface FakeUnifiedTaskOptions {
  dialect: FakeDialect;
  apiKey?: string;
  /** `task_info.estimated_time` of new tasks, in seconds. Default 165 (the documented example). */
  estimatedTime?: number;
  /** POST finished tasks to their `callback_url` (default true). */
  sendCallbacks?: boolean;
  /** Answer a create carrying `callback_url` with 400 (AIHubMax may not accept it for Seedance). */
  refuseCallbackUrl?: boolean;
}

export type { ScriptedFault } from "./scripted-faults.ts";

const video = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));

/**
 * A node:http stand-in for api.aihubmax.com or api.evolink.ai on 127.0.0.1: create and query
 * tasks in the chosen dialect, callbacks to `callback_url`, scripted faults, every request
 * recorded; result links point at a second "CDN" server that needs no key.
 */
export async function startFakeUnifiedTaskServer(options: FakeUnifiedTaskOptions) {
  const { dialect } = options;
  const apiKey = options.apiKey ?? `sk-test-${dialect}`;
  const requests: RecordedRequest[] = [];
  const cdnRequests: RecordedRequest[] = [];
  const callbacksSent: Array<{ url: string; status: number }> = [];
  const tasks = new Map<string, FakeTask>();
  const faults = new ScriptedFaults();
  let sendCallbacks = options.sendCallbacks ?? true;
  const uploads = new FakeUnifiedTaskFiles(dialect);

  const cdn = createServer((request, response) => {
    void recordRequest(request, cdnRequests).then(({ pathname }) => {
      if (uploads.serve(pathname, response)) return;
      const id = /^\/videos\/([^/]+)\.mp4$/.exec(pathname)?.[1];
      if (id && tasks.get(id)?.resultUrl) sendBytes(response, video, "video/mp4");
      else sendJson(response, 403, { error: "AccessDenied: the link expired" });
    });
  });
  const cdnBaseUrl = await listen(cdn);

  const api = createServer((request, response) => {
    void recordRequest(request, requests).then((recorded) => {
      if (scripted(recorded, request, response)) return;
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        const body = errorBody(dialect, 401, "authentication_error", "Invalid API key");
        sendJson(response, 401, body);
        return;
      }
      if (uploads.isUpload(recorded)) void uploads.upload(recorded, response, cdnBaseUrl);
      else route(recorded, response);
    });
  });
  const baseUrl = await listen(api);

  function route(recorded: RecordedRequest, response: ServerResponse) {
    const { method, pathname } = recorded;
    if (method === "POST" && pathname === "/v1/videos/generations") {
      create(recorded.body, response);
      return;
    }
    const id = /^\/v1\/tasks\/([^/]+)$/.exec(pathname)?.[1];
    if (method === "GET" && id !== undefined) {
      const taskId = decodeURIComponent(id);
      if (!taskId.startsWith("task-unified-")) {
        const message = "Task ID must start with 'task-unified-'";
        sendJson(response, 400, errorBody(dialect, 400, "invalid_task_id", message));
        return;
      }
      const task = tasks.get(taskId);
      if (task) sendJson(response, 200, renderTask(task, dialect));
      else sendJson(response, 404, errorBody(dialect, 404, "task_not_found", "Task not found"));
      return;
    }
    sendJson(response, 404, errorBody(dialect, 404, "not_found_error", "Not found"));
  }

  function create(body: unknown, response: ServerResponse) {
    const refusal = refusalOf(dialect, body);
    if (refusal) {
      const { status, code, message, param } = refusal;
      sendJson(response, status, errorBody(dialect, status, code, message, param));
      return;
    }
    const fields = body as Record<string, unknown>;
    if (options.refuseCallbackUrl && fields.callback_url !== undefined) {
      const message = "Unknown parameter: callback_url";
      const envelope = errorBody(dialect, 400, "invalid_request_error", message, "callback_url");
      sendJson(response, 400, envelope);
      return;
    }
    const task = newFakeTask(String(fields.model), fields, options.estimatedTime ?? 165);
    tasks.set(task.id, task);
    sendJson(response, 200, renderTask(task, dialect));
  }

  function scripted(recorded: RecordedRequest, request: IncomingMessage, response: ServerResponse) {
    return faults.answer(recorded, request, response, (status) =>
      errorBody(dialect, status, "upstream_error", "Scripted fault"),
    );
  }

  const taskOf = (id: string) => {
    const task = tasks.get(id);
    if (!task) throw new Error(`the fake API has no task ${id}`);
    return task;
  };

  /** POSTs the task, as a query would show it, to its callback_url (what the provider does). */
  async function callback(id: string, override?: Record<string, unknown>): Promise<number> {
    const task = taskOf(id);
    if (!task.callbackUrl) throw new Error(`task ${id} has no callback_url`);
    const response = await undiciRequest(task.callbackUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(override ?? renderTask(task, dialect)),
    });
    await response.body.dump();
    callbacksSent.push({ url: task.callbackUrl, status: response.statusCode });
    return response.statusCode;
  }

  const finished = async (task: FakeTask) => {
    if (sendCallbacks && task.callbackUrl) await callback(task.id);
  };

  return {
    dialect,
    baseUrl,
    apiKey,
    cdnBaseUrl,
    requests,
    cdnRequests,
    callbacksSent,
    tasks,
    resultUrlFor: (id: string) => `${cdnBaseUrl}/videos/${id}.mp4`,
    /** Files received by the upload endpoint, by id; served from the CDN without a key. */
    uploads: uploads.files,
    /** The create bodies received, in order. */
    creates: () =>
      requests
        .filter(
          (request) => request.method === "POST" && request.pathname === "/v1/videos/generations",
        )
        .map((request) => request.body),
    reads: (id?: string) =>
      requests.filter(
        (request) =>
          request.method === "GET" && request.pathname.startsWith(`/v1/tasks/${id ?? ""}`),
      ),
    setProgress(id: string, progress: number) {
      Object.assign(taskOf(id), { status: "processing", progress });
    },
    /** `results: "empty"` is the race where `completed` comes before the URL is attached. */
    async complete(id: string, { results = "filled" }: { results?: "filled" | "empty" } = {}) {
      const task = taskOf(id);
      Object.assign(task, { status: "completed", progress: results === "filled" ? 100 : 50 });
      if (results === "filled") {
        task.resultUrl = `${cdnBaseUrl}/videos/${id}.mp4`;
        await finished(task);
      }
    },
    async fillResults(id: string) {
      const task = taskOf(id);
      Object.assign(task, { progress: 100, resultUrl: `${cdnBaseUrl}/videos/${id}.mp4` });
      await finished(task);
    },
    async fail(id: string, code: string, message: string) {
      const task = taskOf(id);
      Object.assign(task, { status: "failed", error: { code, message } });
      await finished(task);
    },
    async cancel(id: string) {
      const task = taskOf(id);
      task.status = "cancelled";
      await finished(task);
    },
    /** The task disappears (404 from then on). */
    forget: (id: string) => tasks.delete(id),
    callback,
    setSendCallbacks(value: boolean) {
      sendCallbacks = value;
    },
    /** The next matching request(s) fail: a status, a hang or a reset. */
    failNext(method: string, pattern: string | RegExp, status: number, fault: ScriptedFault = {}) {
      faults.add(method, pattern, status, fault);
    },
    async close() {
      await closeServer(api);
      await closeServer(cdn);
    },
  };
}

export type FakeUnifiedTaskServer = Awaited<ReturnType<typeof startFakeUnifiedTaskServer>>;
