import type { ProviderJobState, ProviderUpdate } from "../generation-provider.ts";
import type { StoredJob } from "./simulated-ledger.ts";

/** One job held by the simulated remote service. */
export interface SimulatedJob {
  readonly providerJobId: string;
  /** Our job id, used as the idempotency key. */
  readonly jobId: string;
  readonly modelId: string;
  readonly prompt: string;
  readonly createdAt: number;
  /** Time from submit to the final state (ms). */
  readonly totalMs: number;
  /** The reason the job will fail with, decided at submit; undefined when it will succeed. */
  readonly failure: string | undefined;
  state: ProviderJobState;
  /** Index of the next step in `stepFractions` (equal to its length: the final step). */
  step: number;
  progress: number | undefined;
  error: string | undefined;
  /** The one timer a pending job holds. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Stops a render in progress (cancel, stop). */
  abort: AbortController;
  /** Where the finished clip is: the rendered one, or the bundled sample. */
  clip: Promise<string>;
  clipPath: string | undefined;
}

/** Running updates happen at these fractions of the delay; the final state comes at 1. */
export const stepFractions = [0.2, 0.4, 0.6, 0.8] as const;

export const pendingProviderStates: readonly ProviderJobState[] = ["queued", "running"];

/** Milliseconds from submit to step `step` (the last step is the final state). */
export function stepTime(step: number, totalMs: number): number {
  if (step < 0) return 0;
  return Math.round(totalMs * (stepFractions[step] ?? 1));
}

const resultScheme = "simulator:";
const providerJobIdPattern = /^sim-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function resultUrlFor(providerJobId: string): string {
  return `${resultScheme}//${providerJobId}`;
}

/** The provider job id in one of our own result URLs; undefined for anything else. */
export function providerJobIdFromResultUrl(url: string): string | undefined {
  if (!url.startsWith(`${resultScheme}//`)) return undefined;
  const id = url.slice(resultScheme.length + 2);
  return providerJobIdPattern.test(id) ? id : undefined;
}

export function isProviderJobId(value: string): boolean {
  return providerJobIdPattern.test(value);
}

export const lostJobMessage = "The simulator restarted and lost this job; press 🔁 to try again";

/** What the provider reports about a job right now. */
export function snapshot(job: SimulatedJob): ProviderUpdate {
  const update: ProviderUpdate = { providerJobId: job.providerJobId, state: job.state };
  if (job.progress !== undefined) update.progress = job.progress;
  if (job.state === "running") {
    const remaining = job.totalMs - stepTime(job.step - 1, job.totalMs);
    update.etaSeconds = Math.max(0, Math.ceil(remaining / 1000));
  }
  if (job.state === "succeeded") update.resultUrl = resultUrlFor(job.providerJobId);
  if (job.error !== undefined) update.error = job.error;
  return update;
}

/** A job as stored, at its start (queued, no progress), with its clip on the way. */
export function newSimulatedJob(
  stored: StoredJob,
  clip: Promise<string>,
  abort: AbortController,
): SimulatedJob {
  return {
    providerJobId: stored.providerJobId,
    jobId: stored.jobId,
    modelId: stored.modelId,
    prompt: stored.prompt,
    createdAt: stored.createdAt,
    totalMs: stored.totalMs,
    failure: stored.failure,
    state: "queued",
    step: 0,
    progress: undefined,
    error: undefined,
    timer: undefined,
    abort,
    clip,
    clipPath: undefined,
  };
}
