import { allowedTransitions, type Job, type JobPatch, jobStates, type NewJob } from "./job.ts";
import type { TransitionOptions } from "./job-store.ts";

// The rules every JobStore applies to a write, shared so the memory and SQLite stores cannot drift apart.

/** Fields that identify a job or are owned by the store; a patch naming them is a programming error. */
const fieldsOutsidePatch: ReadonlySet<string> = new Set([
  "id",
  "origin",
  "request",
  "provider",
  "model",
  "version",
  "createdAt",
  "state",
]);

/** A deep copy through JSON, the same serialization the SQLite store uses, so both stores keep the same values. */
export function copyJob(job: Job): Job {
  return parseJobDocument(serializeJob(job));
}

export function serializeJob(job: Job): string {
  return JSON.stringify(job);
}

export function parseJobDocument(document: string): Job {
  return JSON.parse(document) as Job;
}

/** The job as first stored: `submitting` unless told otherwise, version 1, no attempts. */
export function initialJob(newJob: NewJob): Job {
  const state = newJob.state ?? "submitting";
  if (!jobStates.includes(state)) {
    throw new Error(`Job ${newJob.id} cannot be created in unknown state ${String(state)}.`);
  }
  const copy = JSON.parse(JSON.stringify(newJob)) as NewJob;
  return { ...copy, state, version: 1, attempts: 0, updatedAt: newJob.createdAt };
}

/** Whether the compare-and-set of a transition matches the stored job. */
export function transitionMatches(job: Job, options: TransitionOptions): boolean {
  return (
    options.from.includes(job.state) &&
    (options.expectedVersion === undefined || options.expectedVersion === job.version) &&
    (options.fence === undefined || (job.fence ?? 0) <= options.fence)
  );
}

/** Throws when `to` can never follow any state in `from`: the call could not succeed whatever the job's state. */
export function assertTransitionPossible(options: TransitionOptions): void {
  if (!jobStates.includes(options.to)) {
    throw new Error(`Cannot move a job to unknown state ${String(options.to)}.`);
  }
  if (!options.from.some((state) => allowedTransitions[state]?.includes(options.to))) {
    throw new Error(
      `A job cannot move from ${options.from.join(" or ") || "no state"} to ${options.to}.`,
    );
  }
}

/** The job after a transition whose compare-and-set matched; throws if the move is not allowed. */
export function transitionedJob(job: Job, options: TransitionOptions, now: number): Job {
  if (!allowedTransitions[job.state].includes(options.to)) {
    throw new Error(`Job ${job.id} cannot move from ${job.state} to ${options.to}.`);
  }
  const fence = options.fence === undefined ? {} : { fence: options.fence };
  return { ...patchedJob(job, options.patch ?? {}, now), state: options.to, ...fence };
}

/** The job with the patch applied, the version bumped and `updatedAt` set; `undefined` values leave a field as it is. */
export function patchedJob(job: Job, patch: JobPatch, now: number): Job {
  const next: Record<string, unknown> = { ...job };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (fieldsOutsidePatch.has(field)) {
      throw new Error(`Job ${job.id}: a patch may not change ${field}.`);
    }
    next[field] = value;
  }
  // Serializing once copies both the job and the caller's patch values.
  const patched = parseJobDocument(JSON.stringify(next));
  return { ...patched, version: job.version + 1, updatedAt: now };
}

export function assertListLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit ${limit} must be a whole number, 0 or more.`);
  }
}

export function duplicateJobError(id: string, cause?: unknown): Error {
  return new Error(`Job ${id} already exists.`, cause === undefined ? undefined : { cause });
}

export function duplicateProviderJobError(job: Job, cause?: unknown): Error {
  return new Error(
    `Provider job ${job.providerJobId ?? ""} of ${job.provider} already belongs to another job than ${job.id}.`,
    cause === undefined ? undefined : { cause },
  );
}

export function closedStoreError(): Error {
  return new Error("The job store is closed.");
}
