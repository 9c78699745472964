import { randomBytes } from "node:crypto";

export type FakeDialect = "aihubmax" | "evolink";
export type FakeTaskStatus = "pending" | "processing" | "completed" | "failed" | "cancelled";

/** One task as the fake API keeps it. */
export interface FakeTask {
  id: string;
  model: string;
  status: FakeTaskStatus;
  progress: number;
  /** Unix seconds. */
  created: number;
  /** The create body, as sent. */
  body: Record<string, unknown>;
  /** Set once a video exists; `completed` without it is the "results not attached yet" race. */
  resultUrl: string | null;
  error: { code: string; message: string } | null;
  estimatedTime: number;
  callbackUrl: string | null;
}

export const fakeModels = ["text", "image", "reference"].flatMap((mode) => [
  `seedance-2.0-${mode}-to-video`,
  `seedance-2.0-fast-${mode}-to-video`,
]);

const suffix = () =>
  randomBytes(6)
    .toString("base64url")
    .replace(/[^a-z0-9]/gi, "")
    .toLowerCase()
    .padEnd(8, "x")
    .slice(0, 8);

export function newFakeTask(
  model: string,
  body: Record<string, unknown>,
  estimatedTime: number,
): FakeTask {
  const created = Math.floor(Date.now() / 1000);
  return {
    id: `task-unified-${created}-${suffix()}`,
    model,
    status: "pending",
    progress: 0,
    created,
    body,
    resultUrl: null,
    error: null,
    estimatedTime,
    callbackUrl: typeof body.callback_url === "string" ? body.callback_url : null,
  };
}

/** `video.generation.task` as each dialect renders it: `results` as `{url}` (AIHubMax) or strings. */
export function renderTask(task: FakeTask, dialect: FakeDialect): Record<string, unknown> {
  const terminal = ["completed", "failed", "cancelled"].includes(task.status);
  const results = task.resultUrl
    ? dialect === "aihubmax"
      ? [{ url: task.resultUrl, content_type: "video/mp4" }]
      : [task.resultUrl]
    : task.status === "completed"
      ? null
      : undefined;
  return {
    created: task.created,
    id: task.id,
    model: task.model,
    object: "video.generation.task",
    progress: task.progress,
    status: task.status,
    type: "video",
    ...(results === undefined ? {} : { results }),
    ...(task.error ? { error: { ...task.error, type: "task_error" } } : {}),
    task_info: {
      can_cancel: !terminal,
      ...(terminal ? {} : { estimated_time: task.estimatedTime }),
      video_duration: typeof task.body.duration === "number" ? task.body.duration : 5,
    },
    usage: { billing_rule: "per_second", credits_reserved: 50, user_group: "default" },
  };
}

/** Each dialect's HTTP error envelope. */
export function errorBody(
  dialect: FakeDialect,
  status: number,
  code: string,
  message: string,
  param?: string,
): Record<string, unknown> {
  return dialect === "aihubmax"
    ? { error: { message, type: code, code } }
    : { error: { code: status, message, type: code, ...(param ? { param } : {}) } };
}
