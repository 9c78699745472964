import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import type { GenerationRequest } from "../../domain/generation-request.ts";
import type { Logger } from "../../logger.ts";
import type { ProviderUpdate } from "../generation-provider.ts";
import type { ClipRenderer } from "./clip-renderer.ts";
import { clipSpecificationOf, storableSpecification } from "./clip-specification.ts";
import { chooseFailure, readPromptTriggers } from "./prompt-triggers.ts";
import { positionOf, settle } from "./restored-job.ts";
import {
  newSimulatedJob,
  pendingProviderStates,
  type SimulatedJob,
  snapshot,
  stepFractions,
  stepTime,
} from "./simulated-job.ts";
import type { LedgerContents, SimulatedLedger, StoredJob } from "./simulated-ledger.ts";

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
  /** Where jobs are kept across restarts; without one they live in memory only. */
  ledger?: SimulatedLedger | undefined;
  /** Whether a clip rendered before a restart is on disk (a restored job then reuses it). */
  hasRenderedClip?: (providerJobId: string) => Promise<boolean>;
}

export interface NewSimulatedJob {
  jobId: string;
  modelId: string;
  request: GenerationRequest;
}

export const maxRetainedJobs = 1000;
/** A job that ended this long before a restart, without its clip on disk, gets the sample. */
const reRenderWindowMs = 60 * 60 * 1000;

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

  /** The timer to the next step; `elapsedMs` when resuming part-way between two steps. */
  function schedule(job: SimulatedJob, elapsedMs?: number): void {
    const from = elapsedMs ?? stepTime(job.step - 1, job.totalMs);
    const wait = Math.max(0, stepTime(job.step, job.totalMs) - from);
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
    options.ledger?.forget(job.providerJobId);
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

  function add(stored: StoredJob, clip: SimulatedJob["clip"], abort: AbortController) {
    const job = newSimulatedJob(stored, clip, abort);
    jobs.set(job.providerJobId, job);
    providerJobIdsByJobId.set(job.jobId, job.providerJobId);
    return job;
  }

  function clipOf(stored: StoredJob, abort: AbortController): Promise<string> {
    if (stored.failure !== undefined || !stored.clip) return Promise.resolve(videoPath);
    const { providerJobId } = stored;
    return renderer.clipFor({ providerJobId, specification: stored.clip, signal: abort.signal });
  }

  async function create(input: NewSimulatedJob): Promise<SimulatedJob> {
    const existing = jobs.get(providerJobIdsByJobId.get(input.jobId) ?? "");
    if (existing) return existing;
    const triggers = readPromptTriggers(input.request.prompt);
    const failure = chooseFailure(triggers, options.failureRate, options.random);
    const specification = clipSpecificationOf(input.request, triggers.caption);
    const stored: StoredJob = {
      kind: "job",
      providerJobId: `sim-${randomUUID()}`,
      jobId: input.jobId,
      modelId: input.modelId,
      prompt: input.request.prompt,
      createdAt: options.now(),
      totalMs: triggers.slow ? options.delayMs * 3 : options.delayMs,
      ...(failure !== undefined ? { failure } : {}),
      clip: storableSpecification(specification),
    };
    const abort = new AbortController();
    const job = add(stored, clipOf({ ...stored, clip: specification }, abort), abort);
    prune();
    // Kept before the submit is answered (a crash after it never loses the job), and before its
    // first step (no update comes before the answer to the submit).
    try {
      await options.ledger?.add(stored);
    } catch (error) {
      forget(job);
      throw error;
    }
    schedule(job);
    logger.info(
      {
        providerJobId: job.providerJobId,
        jobId: input.jobId,
        model: input.modelId,
        totalMs: job.totalMs,
      },
      "simulator accepted a job",
    );
    return job;
  }

  /** After a restart: every kept job where its timeline says it is now, pending ones continuing. */
  async function restore(contents: LedgerContents): Promise<void> {
    const now = options.now();
    for (const stored of contents.jobs) {
      if (jobs.has(stored.providerJobId)) continue;
      const position = positionOf(stored, contents.cancelled.has(stored.providerJobId), now);
      const rendered = (await options.hasRenderedClip?.(stored.providerJobId)) ?? false;
      const stale = position.elapsedMs - stored.totalMs > reRenderWindowMs;
      const settled = rendered || stale || position.state === "cancelled";
      const renders =
        !settled &&
        renderer.isRendering() &&
        stored.failure === undefined &&
        stored.clip !== undefined;
      const abort = new AbortController();
      const clip = renders
        ? clipOf(stored, abort)
        : Promise.resolve(rendered ? renderer.renderedPath(stored.providerJobId) : videoPath);
      const job = add(stored, clip, abort);
      job.state = position.state;
      job.step = position.step;
      job.progress = position.progress;
      if (position.state === "cancelled") continue;
      if (!position.due) schedule(job, position.elapsedMs);
      else if (renders) void finish(job);
      else settle(job, await clip);
    }
    if (contents.jobs.length > 0) logger.info({ count: jobs.size }, "simulator restored its jobs");
  }

  return {
    /** Idempotent on `jobId`: the same job id returns the job already created. */
    create,
    restore,
    get: (providerJobId: string) => jobs.get(providerJobId),
    forJobId: (jobId: string) => jobs.get(providerJobIdsByJobId.get(jobId) ?? ""),
    all: () => jobs.values(),
    /** Stops a pending job without an update event (as Oxen does). */
    cancel(providerJobId: string): Promise<void> | undefined {
      const job = jobs.get(providerJobId);
      if (!job || !isPending(job)) return;
      halt(job);
      job.state = "cancelled";
      logger.info({ providerJobId }, "simulated job cancelled");
      return options.ledger?.cancel(providerJobId, options.now());
    },
    /** Stops every timer and render; what the ledger keeps resumes on the next start. */
    haltAll(): void {
      for (const job of jobs.values()) {
        if (!isPending(job)) continue;
        halt(job);
        jobs.delete(job.providerJobId);
        providerJobIdsByJobId.delete(job.jobId);
      }
    },
    /** Like a restart of the remote service: pending jobs are lost, finished ones stay readable. */
    dropPending(): void {
      for (const job of jobs.values()) if (isPending(job)) forget(job);
    },
  };
}
