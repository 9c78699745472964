import type { Job } from "./job.ts";
import { parseJobDocument } from "./job-writes.ts";

/** The columns every job query selects: the document plus what is needed to check it. */
export const jobColumns = "id, state, version, document";

/** SQLITE_CONSTRAINT_UNIQUE: only the provider job id index can raise it (id conflicts are handled in SQL). */
const uniqueConstraintFailed = 2067;

/** Reads the job document, refusing a row whose indexed columns disagree with it. */
export function jobFromRow(row: Record<string, unknown>): Job {
  if (typeof row.document !== "string")
    throw new Error(`Job row ${String(row.id)} has no document.`);
  const job = parseJobDocument(row.document);
  if (job.id !== row.id || job.state !== row.state || job.version !== row.version) {
    throw new Error(`Job row ${String(row.id)} does not match its document.`);
  }
  return job;
}

export function isUniqueConstraintError(error: unknown): boolean {
  return error instanceof Error && "errcode" in error && error.errcode === uniqueConstraintFailed;
}
