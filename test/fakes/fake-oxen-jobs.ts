import { randomUUID } from "node:crypto";

export type FakeOxenStatus = "queued" | "processing" | "succeeded" | "failed" | "cancelled";

/** One generation row as the fake hub keeps it. */
export interface FakeOxenJob {
  id: string;
  model: string;
  status: FakeOxenStatus;
  resultUrl: string | null;
  errorMessage: string | null;
  /** Unix seconds, like the API. */
  enqueuedAt: number;
  startedAt: number | null;
  completedAt: number | null;
  /** Everything the enqueue request carried besides the queue fields. */
  parameters: Record<string, unknown>;
  /** Decimal string, as `GET /api/ai/generations/{id}` reports it. */
  cost: string;
}

export const activeStatuses: readonly FakeOxenStatus[] = ["queued", "processing"];

export function newFakeJob(
  model: string,
  parameters: Record<string, unknown>,
  nowMs: number,
  overrides: Partial<FakeOxenJob> = {},
): FakeOxenJob {
  return {
    id: randomUUID(),
    model,
    status: "queued",
    resultUrl: null,
    errorMessage: null,
    enqueuedAt: Math.floor(nowMs / 1000),
    startedAt: null,
    completedAt: null,
    parameters,
    cost: "0.84",
    ...overrides,
  };
}

/** The compact `QueueGenerationResponse` row: status fields first, request parameters alongside. */
export function queueRow(job: FakeOxenJob): Record<string, unknown> {
  return {
    ...job.parameters,
    generation_id: job.id,
    model_name: job.model,
    media_type: "video",
    status: job.status,
    result_url: job.resultUrl,
    error_message: job.errorMessage,
    enqueued_at: job.enqueuedAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    target_namespace: null,
    target_repo: null,
    target_directory: null,
  };
}

export function generationRow(job: FakeOxenJob): Record<string, unknown> {
  return {
    status: "success",
    status_message: "resource_found",
    generation: { ...queueRow(job), cost: job.cost, user_id: "u-1", username: "tester" },
  };
}

export const envelopes = {
  unauthenticated: {
    error: { type: "unauthenticated", title: "Not authenticated" },
    status: "error",
    status_message: "unauthenticated",
  },
  notFound: {
    error: { type: "resource_not_found", title: "The requested resource could not be found" },
    status: "error",
    status_message: "resource_not_found",
  },
  invalid: (detail: string) => ({
    error: {
      type: "invalid_params",
      title: "Invalid parameters supplied, please check your request and try again.",
      detail,
    },
    status: "error",
    status_message: "invalid_params",
  }),
  modelNotFound: (model: string) => ({ error: { message: `Model not found: ${model}` } }),
  scripted: { error: { type: "unknown_error", title: "Scripted failure" }, status: "error" },
};
