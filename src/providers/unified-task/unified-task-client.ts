import type { Dispatcher } from "undici";
import { ProviderError } from "../../errors.ts";
import type { HttpMethod, JsonResponse, RetryPolicy } from "../../http/request-json.ts";
import { createBearerSender, type ProviderCall } from "../provider-http.ts";
import type { UnifiedTaskDialect } from "./unified-task-dialects.ts";
import { errorParts, responseError, transportError } from "./unified-task-errors.ts";
import { type UnifiedTask, unifiedTaskSchema } from "./unified-task-schemas.ts";

export interface UnifiedTaskClientOptions {
  dialect: UnifiedTaskDialect;
  apiKey: string;
  baseUrl: string;
  dispatcher?: Dispatcher | undefined;
  retry: RetryPolicy;
  maxResponseBytes?: number | undefined;
}

/** GETs default to 4 tries, POSTs to 1 (only a 429 is ever retried for a POST). */
export type UnifiedTaskCall = ProviderCall;

/** A task, or "missing": a 404 / `task_not_found` / `invalid_task_id` for an id we hold. */
export type TaskRead = { kind: "task"; task: UnifiedTask } | { kind: "missing"; reason: string };

/** Thin JSON client: bearer auth to the API root, retries for reads, errors as ProviderError. */
export interface UnifiedTaskClient {
  readonly baseUrl: string;
  /** Any HTTP status resolves; only transport failures throw (as TransportError). */
  send(method: HttpMethod, path: string, call?: UnifiedTaskCall): Promise<JsonResponse>;
  /** `GET /v1/tasks/{id}`; throws ProviderError for anything but a task or a missing one. */
  getTask(providerJobId: string, call?: UnifiedTaskCall): Promise<TaskRead>;
}

const missingCodes = new Set(["task_not_found", "invalid_task_id", "not_found_error"]);

export function createUnifiedTaskClient(options: UnifiedTaskClientOptions): UnifiedTaskClient {
  const { dialect } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const now = () => (options.retry.now ?? Date.now)();

  const { send } = createBearerSender(options);

  const getTask: UnifiedTaskClient["getTask"] = async (providerJobId, call = {}) => {
    let response: JsonResponse;
    try {
      response = await send("GET", `/v1/tasks/${encodeURIComponent(providerJobId)}`, call);
    } catch (error) {
      throw transportError(dialect, error);
    }
    const { statusCode } = response;
    const parts = errorParts(response.body);
    if (
      statusCode === 404 ||
      (statusCode === 400 && parts.code !== undefined && missingCodes.has(parts.code))
    ) {
      return { kind: "missing", reason: parts.text ?? `HTTP ${statusCode}` };
    }
    if (statusCode < 200 || statusCode >= 300) {
      throw responseError(dialect, response, { now: now() });
    }
    return { kind: "task", task: parseTask(dialect, response.body, "GET /v1/tasks/{id}") };
  };

  return { baseUrl, send, getTask };
}

export function parseTask(dialect: UnifiedTaskDialect, body: unknown, what: string): UnifiedTask {
  const parsed = unifiedTaskSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
  throw new ProviderError({
    message: `${dialect.label} sent an unexpected answer to ${what}${where}`,
    provider: dialect.name,
    retryable: false,
    cause: parsed.error,
  });
}
