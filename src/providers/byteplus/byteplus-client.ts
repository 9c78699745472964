import type { Dispatcher } from "undici";
import type { ZodType } from "zod";
import { ProviderError } from "../../errors.ts";
import { TransportError } from "../../http/http-errors.ts";
import type { JsonResponse, RetryPolicy } from "../../http/request-json.ts";
import { createBearerSender, transportFailure } from "../provider-http.ts";
import { arkResponseError, byteplusLabel } from "./byteplus-errors.ts";
import type { ArkCreateBody } from "./byteplus-request-body.ts";
import { type ArkTask, arkCreatedSchema, arkTaskSchema } from "./byteplus-schemas.ts";

export interface ArkClientOptions {
  apiKey: string;
  baseUrl: string;
  dispatcher?: Dispatcher | undefined;
  retry: RetryPolicy;
  maxResponseBytes?: number | undefined;
}

type Call = { maxAttempts?: number; signal?: AbortSignal | undefined };
export type ArkRead = { kind: "task"; task: ArkTask } | { kind: "missing"; reason: string };

const tasksPath = "/contents/generations/tasks";

/** ModelArk's task API with the Bearer key, only to ARK_BASE_URL's host. */
export function createArkClient(options: ArkClientOptions) {
  const { baseUrl, send } = createBearerSender(options);
  const now = () => (options.retry.now ?? Date.now)();
  const call = async (
    method: "GET" | "POST" | "DELETE",
    path: string,
    details: Call & { json?: unknown } = {},
  ) => {
    try {
      return await send(method, path, details);
    } catch (error) {
      throw transportFailure(byteplusLabel, error);
    }
  };
  const ok = (response: JsonResponse) => response.statusCode >= 200 && response.statusCode < 300;

  return {
    baseUrl,
    /** One POST; only a 429 is retried (nothing was created). A lost answer: outcomeUnknown. */
    async create(body: ArkCreateBody): Promise<string> {
      let response: JsonResponse;
      try {
        response = await send("POST", tasksPath, { json: body, maxAttempts: 3 });
      } catch (error) {
        const mayHaveBeenSent = !(error instanceof TransportError) || error.requestMayHaveBeenSent;
        throw transportFailure(byteplusLabel, error, { outcomeUnknown: mayHaveBeenSent });
      }
      if (response.statusCode >= 500 || response.statusCode === 408) {
        throw arkResponseError(response, {
          now: now(),
          outcomeUnknown: true,
          context: "BytePlus did not confirm the task; it may exist anyway",
        });
      }
      if (!ok(response)) throw arkResponseError(response, { now: now() });
      return parse(arkCreatedSchema, response.body, "the task create").id;
    },
    async getTask(id: string, details: Call = {}): Promise<ArkRead> {
      const response = await call("GET", `${tasksPath}/${encodeURIComponent(id)}`, details);
      if (response.statusCode === 404) return { kind: "missing", reason: "HTTP 404" };
      if (!ok(response)) throw arkResponseError(response, { now: now() });
      return { kind: "task", task: parse(arkTaskSchema, response.body, "a task read") };
    },
    /** DELETE: Ark cancels a task only while it is queued. */
    async cancel(id: string): Promise<JsonResponse> {
      return call("DELETE", `${tasksPath}/${encodeURIComponent(id)}`, { maxAttempts: 3 });
    },
  };
}
export type ArkClient = ReturnType<typeof createArkClient>;

function parse<T>(schema: ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : "";
  throw new ProviderError({
    message: `BytePlus sent an unexpected answer to ${what}${where}`,
    provider: byteplusLabel.name,
    retryable: false,
    cause: parsed.error,
  });
}
