import type { ProviderJobState, ProviderUpdate } from "../generation-provider.ts";
import type { OxenQueueRow, OxenStatus } from "./oxen-schemas.ts";

export const lostJobMessage = "The provider no longer knows this job";

export function stateOf(status: OxenStatus): ProviderJobState {
  return status === "processing" ? "running" : status;
}

/** A queue row as a ProviderUpdate (a URL only when succeeded, a reason only when failed). */
export function updateFromRow(row: OxenQueueRow): ProviderUpdate {
  const update: ProviderUpdate = { providerJobId: row.generation_id, state: stateOf(row.status) };
  if (row.status === "succeeded" && row.result_url) update.resultUrl = row.result_url;
  if (row.status === "failed") update.error = row.error_message || "The provider gave no reason";
  return update;
}

export function lostJobUpdate(providerJobId: string): ProviderUpdate {
  return { providerJobId, state: "failed", error: lostJobMessage };
}
