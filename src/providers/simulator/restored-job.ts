import type { ProviderJobState } from "../generation-provider.ts";
import { type SimulatedJob, stepFractions, stepTime } from "./simulated-job.ts";
import type { StoredJob } from "./simulated-ledger.ts";

export interface TimelinePosition {
  state: ProviderJobState;
  /** The next step to take (`stepFractions.length`: only the final state is left). */
  step: number;
  progress: number | undefined;
  /** Milliseconds since the submit, never negative (a clock set back counts as no time). */
  elapsedMs: number;
  /** Every step is behind it: the job ends now (succeeds once its clip is there, or fails). */
  due: boolean;
}

/**
 * Where a stored job's timeline is at `now`: derived from its submit time and duration only, so
 * a restart (SIGKILL or SIGTERM) continues it where it would have been.
 */
export function positionOf(stored: StoredJob, cancelled: boolean, now: number): TimelinePosition {
  const elapsedMs = Math.max(0, now - stored.createdAt);
  let step = 0;
  while (step < stepFractions.length && stepTime(step, stored.totalMs) <= elapsedMs) step += 1;
  const fraction = step > 0 ? stepFractions[step - 1] : undefined;
  const progress = fraction === undefined ? undefined : Math.round(fraction * 100);
  const due = elapsedMs >= stored.totalMs;
  if (cancelled) return { state: "cancelled", step, progress, elapsedMs, due: false };
  return { state: step > 0 || due ? "running" : "queued", step, progress, elapsedMs, due };
}

/** A job that ended while the service was down: its final state, with no event (reconcile reads it). */
export function settle(job: SimulatedJob, clipPath: string): void {
  job.state = job.failure === undefined ? "succeeded" : "failed";
  job.error = job.failure;
  if (job.failure === undefined) {
    job.progress = 100;
    job.clipPath = clipPath;
  }
}
