import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import type { GenerationRequest } from "../../domain/generation-request.ts";
import type { Logger } from "../../logger.ts";
import type { ProviderUpdate } from "../generation-provider.ts";
import type { ClipRenderer } from "./clip-renderer.ts";
import { chooseFailure, readPromptTriggers } from "./prompt-triggers.ts";
import {
  pendingProviderStates,
  type SimulatedJob,
  snapshot,
  stepFractions,
  stepTime,
} from "./simulated-job.ts";

export interface SimulatedServiceOptions {
  delayMs: number;
  failureRate: number;
  random: () => number;
  now: () => number;
  logger: Logger;
  renderer: ClipRenderer;
  /** The bundled sample (never deleted). */
  videoPath: string;
  /** Receives every state change except cancellation, like a provider's push channel. */
  onUpdate: (update: ProviderUpdate) => void;
}

export interface NewSimulatedJob {
  jobId: string;
  modelId: string;
  request: GenerationRequest;
}

const maxRetainedJobs = 1000;

export function isPending(job: SimulatedJob): boolean {
  return pendingProviderStates.includes(job.state);
}

/**
 * The simulated remote service: an in-memory job table where each pending job holds one timer
 * that walks it queued → running (a few progress steps) → succeeded or failed.
 */
export function createSimulatedService(options: SimulatedServiceOptions) {
  const { logger, renderer, videoPath } = options;
  const jobs = new Map<string, SimulatedJob>();
  const providerJobIdsByJobId = new Map<string, string>();

  function emit(job: SimulatedJob): void {
    try {
      options.onUpdate(snapshot(job));
    } catch (error) {
      logger.error({ err: error, providerJobId: job.providerJobId }, "simulator listener threw");
    }
  }

  function schedule(job: SimulatedJob): void {
    const wait = stepTime(job.step, job.totalMs) - stepTime(job.step - 1, job.totalMs);
    job.timer = setTimeout(() => advance(job), wait);
  }

  function advance(job: SimulatedJob): void {
    job.timer = undefined;
    const fraction = stepFractions[job.step];
    if (fraction === undefined) {
      void finish(job);
      return;
    }
    job.state = "running";
    job.progress = Math.round(fraction * 100);
    job.step += 1;
    emit(job);
    schedule(job);
  }

  async function finish(job: SimulatedJob): Promise<void> {
    if (job.failure !== undefined) {
      job.state = "failed";
      job.error = job.failure;
      logger.info({ providerJobId: job.providerJobId }, "simulated job failed on purpose");
      emit(job);
      return;
    }
    // A render still running holds the job at its last progress step; it never rejects.
    const clipPath = await job.clip;
    if (jobs.get(job.providerJobId) !== job || job.state !== "running") return;
    job.clipPath = clipPath;
    job.state = "succeeded";
    job.progress = 100;
    logger.info({ providerJobId: job.providerJobId }, "simulated job succeeded");
    emit(job);
  }

  function halt(job: SimulatedJob): void {
    clearTimeout(job.timer);
    job.timer = undefined;
    job.abort.abort();
  }

  function forget(job: SimulatedJob): void {
    halt(job);
    jobs.delete(job.providerJobId);
    providerJobIdsByJobId.delete(job.jobId);
  }

  /** Keeps memory bounded: the oldest finished jobs go first, with their rendered clips. */
  function prune(): void {
    for (const job of jobs.values()) {
      if (jobs.size <= maxRetainedJobs) return;
      if (isPending(job)) continue;
      forget(job);
      if (job.clipPath && job.clipPath !== videoPath) {
        rm(job.clipPath, { force: true }).catch(() => undefined);
      }
    }
  }

  function create(input: NewSimulatedJob): SimulatedJob {
    const existing = jobs.get(providerJobIdsByJobId.get(input.jobId) ?? "");
    if (existing) return existing;
    const triggers = readPromptTriggers(input.request.prompt);
    const failure = chooseFailure(triggers, options.failureRate, options.random);
    const providerJobId = `sim-${randomUUID()}`;
    const abort = new AbortController();
    const caption = triggers.caption;
    const job: SimulatedJob = {
      providerJobId,
      jobId: input.jobId,
      modelId: input.modelId,
      prompt: input.request.prompt,
      createdAt: options.now(),
      totalMs: triggers.slow ? options.delayMs * 3 : options.delayMs,
      failure,
      state: "queued",
      step: 0,
      progress: undefined,
      error: undefined,
      timer: undefined,
      abort,
      clip:
        failure === undefined
          ? renderer.clipFor({
              providerJobId,
              request: input.request,
              caption,
              signal: abort.signal,
            })
          : Promise.resolve(videoPath),
      clipPath: undefined,
    };
    jobs.set(providerJobId, job);
    providerJobIdsByJobId.set(input.jobId, providerJobId);
    prune();
    schedule(job);
    logger.info(
      { providerJobId, jobId: input.jobId, model: input.modelId, totalMs: job.totalMs },
      "simulator accepted a job",
    );
    return job;
  }

  return {
    /** Idempotent on `jobId`: the same job id returns the job already created. */
    create,
    get: (providerJobId: string) => jobs.get(providerJobId),
    forJobId: (jobId: string) => jobs.get(providerJobIdsByJobId.get(jobId) ?? ""),
    all: () => jobs.values(),
    /** Stops a pending job without an update event (as Oxen does). */
    cancel(providerJobId: string): void {
      const job = jobs.get(providerJobId);
      if (!job || !isPending(job)) return;
      halt(job);
      job.state = "cancelled";
      logger.info({ providerJobId }, "simulated job cancelled");
    },
    /** Like a restart of the remote service: pending jobs are lost, finished ones stay readable. */
    dropPending(): void {
      for (const job of jobs.values()) if (isPending(job)) forget(job);
    },
  };
}
