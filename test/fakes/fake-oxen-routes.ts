import type { RecordedRequest } from "./fake-oxen-http.ts";
import {
  activeStatuses,
  envelopes,
  type FakeOxenJob,
  generationRow,
  newFakeJob,
  queueRow,
} from "./fake-oxen-jobs.ts";
import { fakeOxenModel, fakeOxenModelIds } from "./fake-oxen-models.ts";

/** What the fake hub answers; the server turns it into bytes. */
export type FakeReply =
  | { kind: "json"; status: number; body: unknown }
  | { kind: "video" }
  | { kind: "redirect"; location: string }
  | { kind: "events" };

export interface FakeRouteContext {
  jobs: Map<string, FakeOxenJob>;
  cdnBaseUrl: string;
  redirectResultsTo: "cdn" | undefined;
  transformModel: ((model: Record<string, unknown>) => Record<string, unknown>) | undefined;
}

export const resultPathPattern = /^\/api\/repos\/test\/outputs\/file\/main\/([^/]+)\.mp4$/;
const knownModels: readonly string[] = fakeOxenModelIds;
const json = (status: number, body: unknown): FakeReply => ({ kind: "json", status, body });

function idFrom(pattern: RegExp, pathname: string): string | undefined {
  const match = pattern.exec(pathname)?.[1];
  return match === undefined ? undefined : decodeURIComponent(match);
}

/** The documented hub API, authenticated requests only. */
export function routeFakeOxen(request: RecordedRequest, context: FakeRouteContext): FakeReply {
  const { method, pathname, query } = request;
  const { jobs } = context;
  if (method === "GET" && pathname === "/api/events") return { kind: "events" };
  if (method === "POST" && pathname === "/api/ai/queue") return enqueue(request.body, jobs);
  if (method === "GET" && pathname === "/api/ai/queue") {
    const statuses = query.get("status")?.split(/[,|]/) ?? activeStatuses;
    const model = query.get("model");
    const rows = [...jobs.values()]
      .filter((job) => statuses.includes(job.status) && (!model || job.model === model))
      .map(queueRow);
    return json(200, { count: rows.length, generations: rows });
  }
  const queueId = idFrom(/^\/api\/ai\/queue\/([^/]+)$/, pathname);
  if (queueId !== undefined) {
    const job = jobs.get(queueId);
    if (!job) return json(404, envelopes.notFound);
    if (method === "GET") return json(200, queueRow(job));
    if (method === "DELETE") {
      if (activeStatuses.includes(job.status)) {
        Object.assign(job, { status: "cancelled", completedAt: Math.floor(Date.now() / 1000) });
      }
      return json(200, { status: "success", generation_id: job.id });
    }
  }
  const generation = jobs.get(idFrom(/^\/api\/ai\/generations\/([^/]+)$/, pathname) ?? "");
  if (method === "GET" && generation) return json(200, generationRow(generation));
  const modelId = idFrom(/^\/api\/ai\/models\/([^/]+)$/, pathname);
  if (method === "GET" && modelId && knownModels.includes(modelId)) {
    const model = fakeOxenModel(modelId);
    return json(200, context.transformModel?.(model) ?? model);
  }
  const resultId = idFrom(resultPathPattern, pathname);
  if (method === "GET" && resultId && jobs.get(resultId)?.status === "succeeded") {
    return context.redirectResultsTo === "cdn"
      ? {
          kind: "redirect",
          location: `${context.cdnBaseUrl}/files/${resultId}.mp4?signature=s3cr3t`,
        }
      : { kind: "video" };
  }
  return json(404, envelopes.notFound);
}

function enqueue(body: unknown, jobs: Map<string, FakeOxenJob>): FakeReply {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return json(400, envelopes.invalid("The body must be a JSON object"));
  }
  const { model, num_generations: count = 1, ...parameters } = body as Record<string, unknown>;
  if (typeof model !== "string") return json(400, envelopes.invalid("model is required"));
  if (!knownModels.includes(model)) return json(404, envelopes.modelNotFound(model));
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 4) {
    return json(400, envelopes.invalid("num_generations must be an integer between 1 and 4"));
  }
  const generations = Array.from({ length: count }, () => {
    const job = newFakeJob(model, parameters, Date.now());
    jobs.set(job.id, job);
    return { generation_id: job.id, status: job.status };
  });
  return json(200, { generations });
}
