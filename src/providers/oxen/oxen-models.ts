import type { ModelCatalog, ModelEntry } from "../../domain/model-catalog.ts";
import { errorMessage } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type { OxenClient } from "./oxen-client.ts";
import { describeSchemaDrift } from "./oxen-schema-drift.ts";
import { type OxenPricing, type OxenRequestSchema, oxenModelSchema } from "./oxen-schemas.ts";

/** What the hub told us about one model at start-up. */
export interface OxenModelDetails {
  pricing?: OxenPricing;
  requestSchema?: OxenRequestSchema;
}

export function catalogEntries(catalog: ModelCatalog): ModelEntry[] {
  const entries = Object.values(catalog).flatMap((row) => [row.standard, row.fast]);
  return [...new Map(entries.map((entry) => [entry.id, entry])).values()];
}

/**
 * Fetches every catalog model in parallel and warns where the remote schema drifted from our
 * limits. Failures are warnings: the bot keeps its built-in limits and simply has no prices.
 */
export async function loadModelDetails(options: {
  client: OxenClient;
  catalog: ModelCatalog;
  logger: Logger;
  signal: AbortSignal;
}): Promise<Map<string, OxenModelDetails>> {
  const { client, logger, signal } = options;
  const entries = catalogEntries(options.catalog);
  const results = await Promise.allSettled(
    entries.map((entry) =>
      client.getJson(`/api/ai/models/${encodeURIComponent(entry.id)}`, oxenModelSchema, {
        signal,
        maxAttempts: 2,
      }),
    ),
  );
  const details = new Map<string, OxenModelDetails>();
  const failures: string[] = [];
  let reason = "";
  results.forEach((result, index) => {
    const entry = entries[index];
    if (!entry) return;
    if (result.status === "rejected") {
      failures.push(entry.id);
      reason ||= errorMessage(result.reason);
      return;
    }
    const model = result.value;
    const requestSchema = model.request_schema ?? model.json_request_schema ?? undefined;
    details.set(entry.id, {
      ...(model.pricing ? { pricing: model.pricing } : {}),
      ...(requestSchema ? { requestSchema } : {}),
    });
    const drift = requestSchema
      ? describeSchemaDrift(requestSchema, entry.limits)
      : ["the provider sent no request schema"];
    if (drift.length > 0) {
      logger.warn({ model: entry.id, drift }, "Oxen model schema differs from our limits");
    }
  });
  if (failures.length > 0 && !signal.aborted) {
    logger.warn(
      { models: failures, reason },
      "could not fetch Oxen model details; using built-in limits, without cost estimates",
    );
  }
  return details;
}
