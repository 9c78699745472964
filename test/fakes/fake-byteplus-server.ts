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
const frame = Buffer.from("89504e470d0a1a0a", "hex");
const tasksPath = "/api/v3/contents/generations/tasks";
const roles: Record<string, readonly string[]> = {
  image_url: ["first_frame", "last_frame", "reference_image"],
  video_url: ["reference_video"],
  audio_url: ["reference_audio"],
};

export interface FakeArkTask {
  id: string;
  model: string;
  body: Record<string, unknown>;
  status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  error?: { code: string; message: string };
  callbackUrl?: string;
  createdAt: number;
}

const errorBody = (code: string, message: string) => ({
  error: { code, message, param: "", type: "BadRequest" },
});

/**
 * A node:http stand-in for ark.ap-southeast.bytepluses.com on 127.0.0.1, from ModelArk's video
 * task documentation: create, query and delete under `/api/v3/contents/generations/tasks`, Bearer
 * auth, the `content[]` roles checked, callbacks carrying the task, results on a "TOS" server.
 */
export async function startFakeBytePlusServer(options: { apiKey?: string } = {}) {
  const apiKey = options.apiKey ?? "ark-test-key";
  const requests: RecordedRequest[] = [];
  const cdnRequests: RecordedRequest[] = [];
  const tasks = new Map<string, FakeArkTask>();
  const faults = new ScriptedFaults();
  const callbacksSent: Array<{ url: string; status: number }> = [];
  let counter = 0;

  const cdn = createServer((request, response) => {
    void recordRequest(request, cdnRequests).then(({ pathname }) => {
      const match = /^\/tos\/([^/]+)\.(mp4|png)$/.exec(pathname);
      const task = match ? tasks.get(match[1] as string) : undefined;
      if (task?.status !== "succeeded") return sendJson(response, 403, { error: "AccessDenied" });
      if (match?.[2] === "png") sendBytes(response, frame, "image/png");
      else sendBytes(response, video, "video/mp4");
    });
  });
  const cdnBaseUrl = await listen(cdn);

  const api = createServer((request, response) => {
    void recordRequest(request, requests).then((recorded) => {
      const scripted = faults.answer(recorded, request, response, () =>
        errorBody("InternalServiceError", "Scripted fault"),
      );
      if (scripted) return;
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        return sendJson(response, 401, errorBody("AuthenticationError", "The API key is invalid"));
      }
      route(recorded, response);
    });
  });
  const baseUrl = await listen(api);

  const render = (task: FakeArkTask) => ({
    id: task.id,
    model: task.model,
    status: task.status,
    error: task.error ?? null,
    created_at: task.createdAt,
    updated_at: task.createdAt,
    ...(task.status === "succeeded"
      ? {
          content: {
            video_url: `${cdnBaseUrl}/tos/${task.id}.mp4`,
            ...(task.body.return_last_frame
              ? { last_frame_url: `${cdnBaseUrl}/tos/${task.id}.png` }
              : {}),
          },
          usage: { completion_tokens: 108900, total_tokens: 108900 },
        }
      : {}),
    service_tier: task.body.service_tier ?? "default",
  });

  function route(recorded: RecordedRequest, response: ServerResponse) {
    const { method, pathname } = recorded;
    if (method === "POST" && pathname === tasksPath) return create(recorded, response);
    const id = pathname.startsWith(`${tasksPath}/`)
      ? decodeURIComponent(pathname.slice(tasksPath.length + 1))
      : undefined;
    const task = id ? tasks.get(id) : undefined;
    if (!task)
      return sendJson(response, 404, errorBody("ResourceNotFound", "The task was not found"));
    if (method === "GET") return sendJson(response, 200, render(task));
    if (method === "DELETE") {
      if (task.status !== "queued") {
        return sendJson(
          response,
          409,
          errorBody("InvalidAction", `A ${task.status} task cannot be cancelled`),
        );
      }
      task.status = "cancelled";
      return sendJson(response, 200, {});
    }
    sendJson(response, 405, errorBody("MethodNotAllowed", "Method not allowed"));
  }

  function create(recorded: RecordedRequest, response: ServerResponse) {
    const body = recorded.body as Record<string, unknown> | undefined;
    const refusal = refusalOf(body);
    if (refusal) return sendJson(response, 400, errorBody("InvalidParameter", refusal));
    counter += 1;
    const id = `cgt-20261202${String(counter).padStart(6, "0")}-fake`;
    const task: FakeArkTask = {
      id,
      model: String(body?.model),
      body: body as Record<string, unknown>,
      status: "queued",
      createdAt: Math.floor(Date.now() / 1000),
      ...(typeof body?.callback_url === "string" ? { callbackUrl: body.callback_url } : {}),
    };
    tasks.set(id, task);
    sendJson(response, 200, { id });
  }

  const taskOf = (id: string) => {
    const task = tasks.get(id);
    if (!task) throw new Error(`the fake Ark has no task ${id}`);
    return task;
  };

  async function callback(task: FakeArkTask) {
    if (!task.callbackUrl) return;
    const answer = await undiciRequest(task.callbackUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(render(task)),
    });
    await answer.body.dump();
    callbacksSent.push({ url: task.callbackUrl, status: answer.statusCode });
  }

  return {
    baseUrl: `${baseUrl}/api/v3`,
    cdnBaseUrl,
    apiKey,
    requests,
    cdnRequests,
    tasks,
    callbacksSent,
    creates: () =>
      requests.filter((request) => request.method === "POST").map((request) => request.body),
    async start(id: string) {
      taskOf(id).status = "running";
      await callback(taskOf(id));
    },
    async complete(id: string) {
      taskOf(id).status = "succeeded";
      await callback(taskOf(id));
    },
    async fail(id: string, code: string, message: string) {
      Object.assign(taskOf(id), { status: "failed", error: { code, message } });
      await callback(taskOf(id));
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
export type FakeBytePlusServer = Awaited<ReturnType<typeof startFakeBytePlusServer>>;

/**
 * Ark's documented checks: a model, one text item, known types and roles, the frames' rules,
 * duration 4–15 or -1.
 */
function refusalOf(body: Record<string, unknown> | undefined): string | undefined {
  if (!body || typeof body.model !== "string") return "model is required";
  const content = Array.isArray(body.content)
    ? (body.content as Array<Record<string, unknown>>)
    : [];
  if (content.filter((item) => item.type === "text").length !== 1)
    return "content must hold one text item";
  for (const item of content) {
    if (item.type === "text") continue;
    const allowed = roles[String(item.type)];
    if (!allowed) return `content type ${String(item.type)} is not supported`;
    if (!allowed.includes(String(item.role)))
      return `role ${String(item.role)} is not valid for ${String(item.type)}`;
    const media = item[String(item.type)] as { url?: unknown } | undefined;
    if (typeof media?.url !== "string") return `${String(item.type)}.url is required`;
  }
  const refusal = frameRefusalOf(content);
  if (refusal) return refusal;
  const duration = body.duration;
  if (
    duration !== undefined &&
    duration !== -1 &&
    !(Number.isInteger(duration) && (duration as number) >= 4 && (duration as number) <= 15)
  ) {
    return "duration must be -1 or between 4 and 15";
  }
  if (body.service_tier !== undefined && !["default", "flex"].includes(String(body.service_tier))) {
    return "service_tier must be default or flex";
  }
  return undefined;
}

/**
 * Image-to-video frames as ModelArk documents them: at most one `first_frame` and one `last_frame`,
 * a `last_frame` only beside a `first_frame`, and frames never mixed with reference files.
 */
function frameRefusalOf(content: Array<Record<string, unknown>>): string | undefined {
  const count = (role: string) => content.filter((item) => item.role === role).length;
  const firsts = count("first_frame");
  const lasts = count("last_frame");
  if (firsts > 1 || lasts > 1) return "at most one first_frame and one last_frame may be given";
  if (lasts === 1 && firsts === 0) return "last_frame needs a first_frame beside it";
  const references = content.filter((item) => String(item.role).startsWith("reference_"));
  if (firsts + lasts > 0 && references.length > 0) {
    return "first_frame and last_frame cannot be mixed with reference images, videos or audio";
  }
  return undefined;
}
