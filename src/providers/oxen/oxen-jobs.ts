import { ProviderError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { PendingJobRef, ProviderJobState, ProviderUpdate } from "../generation-provider.ts";
import { type OxenClient, transportProviderError } from "./oxen-client.ts";
import { oxenResponseError } from "./oxen-errors.ts";
import { oxenGenerationSchema, oxenQueueListSchema, oxenQueueRowSchema } from "./oxen-schemas.ts";
import { lostJobUpdate, stateOf, updateFromRow } from "./oxen-updates.ts";

const terminalStatuses = new Set(["succeeded", "failed", "cancelled"]);
/** Single lookups after a reconcile run a few at a time. */
const lookupConcurrency = 4;

function queuePath(providerJobId: string): string {
  return `/api/ai/queue/${encodeURIComponent(providerJobId)}`;
}

/** A real change: a running job reported as queued again is a stale read, not news. */
function changed(known: ProviderJobState, reported: ProviderJobState): boolean {
  return reported !== known && !(known === "running" && reported === "queued");
}

/** `GET /api/ai/queue/{id}`; a 404 on an id we were given means the job is lost. */
export async function getOxenStatus(
  client: OxenClient,
  providerJobId: string,
): Promise<ProviderUpdate> {
  try {
    return updateFromRow(await client.getJson(queuePath(providerJobId), oxenQueueRowSchema));
  } catch (error) {
    if (error instanceof ProviderError && error.statusCode === 404) {
      return lostJobUpdate(providerJobId);
    }
    throw error;
  }
}

/**
 * One `GET /api/ai/queue` (active jobs) for everything pending; only the jobs that left the list
 * are looked up one by one. Returns the updates whose state changed.
 */
export async function reconcileOnOxen(
  client: OxenClient,
  pending: readonly PendingJobRef[],
  logger: Logger,
): Promise<ProviderUpdate[]> {
  if (pending.length === 0) return [];
  const list = await client.getJson("/api/ai/queue", oxenQueueListSchema);
  const active = new Map(list.generations.map((row) => [row.generation_id, row]));
  const updates: ProviderUpdate[] = [];
  const departed: PendingJobRef[] = [];
  for (const job of pending) {
    const row = active.get(job.providerJobId);
    if (!row) departed.push(job);
    else if (changed(job.state, stateOf(row.status))) updates.push(updateFromRow(row));
  }
  for (let start = 0; start < departed.length; start += lookupConcurrency) {
    const batch = departed.slice(start, start + lookupConcurrency);
    const results = await Promise.allSettled(
      batch.map((job) => getOxenStatus(client, job.providerJobId)),
    );
    results.forEach((result, index) => {
      const job = batch[index];
      if (!job) return;
      if (result.status === "rejected") {
        logger.warn(
          { providerJobId: job.providerJobId, err: result.reason },
          "could not look up an Oxen job; it will be tried again",
        );
      } else if (changed(job.state, result.value.state)) {
        updates.push(result.value);
      }
    });
  }
  return updates;
}

/** `DELETE /api/ai/queue/{id}`; a job that is unknown or already over is not an error. */
export async function cancelOnOxen(client: OxenClient, providerJobId: string): Promise<void> {
  let response: Awaited<ReturnType<OxenClient["send"]>>;
  try {
    response = await client.send("DELETE", queuePath(providerJobId));
  } catch (error) {
    throw transportProviderError(error);
  }
  const { statusCode } = response;
  if ((statusCode >= 200 && statusCode < 300) || statusCode === 404) return;
  if (statusCode >= 400 && statusCode < 500 && ![401, 403, 429].includes(statusCode)) {
    const row = await client
      .getJson(queuePath(providerJobId), oxenQueueRowSchema)
      .catch(() => undefined);
    if (row && terminalStatuses.has(row.status)) return;
  }
  throw oxenResponseError(response, { context: "Oxen refused to cancel the job" });
}

/** What Oxen charged for a job (`generation.cost`, a decimal string); undefined when unknown. */
export async function fetchOxenCost(
  client: OxenClient,
  providerJobId: string,
  logger: Logger,
): Promise<number | undefined> {
  try {
    const { generation } = await client.getJson(
      `/api/ai/generations/${encodeURIComponent(providerJobId)}`,
      oxenGenerationSchema,
    );
    if (generation.cost === null || generation.cost === undefined || generation.cost === "") {
      return undefined;
    }
    const cost = Number(generation.cost);
    return Number.isFinite(cost) ? cost : undefined;
  } catch (error) {
    logger.warn({ providerJobId, err: error }, "could not read the cost of an Oxen job");
    return undefined;
  }
}
