import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { catalogModelIds, oxenCatalog } from "../../domain/model-catalog.ts";
import { validateRequest } from "../../domain/validate-request.ts";
import { ConfigError, ProviderError } from "../../errors.ts";
import type { Logger } from "../../logger.ts";
import type {
  GenerationProvider,
  ProviderListener,
  ProviderUpdate,
  ResultDownload,
  SubmitOutcome,
} from "../generation-provider.ts";
import { createClipRenderer } from "./clip-renderer.ts";
import { detectFfmpeg } from "./render-clip.ts";
import {
  lostJobMessage,
  providerJobIdFromResultUrl,
  type SimulatedJob,
  snapshot,
} from "./simulated-job.ts";
import { createSimulatedLedger } from "./simulated-ledger.ts";
import { createSimulatedService, maxRetainedJobs } from "./simulated-service.ts";
import type { LocalPathResolver } from "./start-image.ts";

export const bundledSampleVideoPath = fileURLToPath(
  new URL("./assets/sample.mp4", import.meta.url),
);

export interface SimulatorProviderOptions {
  /** Submit to final state (ms); `[slow]` in a prompt triples it. Default 4000. */
  delayMs?: number;
  /** Share of jobs that fail at random, 0..1. Default 0. */
  failureRate?: number;
  /** The clip served when none is rendered. Default: the bundled sample. */
  videoPath?: string;
  /**
   * Where rendered clips and the job ledger (`jobs.jsonl`) go; with it, jobs survive a restart.
   * Default: a folder in the OS temp directory, and jobs kept in memory only.
   */
  dataDirectory?: string;
  /** undefined: use `ffmpeg` from PATH if it runs; null: never render. */
  ffmpegPath?: string | null;
  random?: () => number;
  now?: () => number;
  logger: Logger;
  /** Maps the bot's own media URLs to files, so uploaded start images appear in rendered clips. */
  resolveLocalPath?: LocalPathResolver;
}

const providerName = "simulator";

function refuse(message: string, statusCode: number, cause?: unknown): ProviderError {
  return new ProviderError({
    message,
    provider: providerName,
    statusCode,
    retryable: false,
    cause,
  });
}

function outcome(job: SimulatedJob): SubmitOutcome {
  return { providerJobId: job.providerJobId, state: job.state };
}

function lost(providerJobId: string): ProviderUpdate {
  return { providerJobId, state: "failed", error: lostJobMessage };
}

/** An offline provider that behaves like the remote ones, for first runs and rehearsals. */
export function createSimulatorProvider(options: SimulatorProviderOptions): GenerationProvider {
  const { logger } = options;
  const delayMs = options.delayMs ?? 4000;
  const failureRate = options.failureRate ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new ConfigError(`SIMULATOR_DELAY_MS ${delayMs} must be 0 or more milliseconds.`);
  }
  if (!(failureRate >= 0 && failureRate <= 1)) {
    throw new ConfigError(`SIMULATOR_FAILURE_RATE ${failureRate} must be between 0 and 1.`);
  }
  const videoPath = options.videoPath ?? bundledSampleVideoPath;
  const renderer = createClipRenderer({
    videoPath,
    dataDirectory: options.dataDirectory ?? join(tmpdir(), "seedance-bot-simulator"),
    logger,
    resolveLocalPath: options.resolveLocalPath,
  });
  let listener: ProviderListener | undefined;
  let connected = false;
  const ledger = options.dataDirectory
    ? createSimulatedLedger(join(options.dataDirectory, "jobs.jsonl"), maxRetainedJobs)
    : undefined;
  const service = createSimulatedService({
    delayMs,
    failureRate,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    logger,
    renderer,
    videoPath,
    onUpdate: (update) => listener?.onUpdate(update),
    ledger,
    hasRenderedClip: async (providerJobId) =>
      (await existingFile(renderer.renderedPath(providerJobId))) !== undefined,
  });
  const modelIds = new Set(catalogModelIds(oxenCatalog));

  async function existingFile(path: string): Promise<string | undefined> {
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? path : undefined;
  }

  return {
    name: providerName,
    catalog: oxenCatalog,

    async start(next) {
      listener = next;
      const ffmpegPath =
        options.ffmpegPath === undefined ? await detectFfmpeg() : options.ffmpegPath;
      renderer.setFfmpegPath(ffmpegPath);
      if (ledger) await service.restore(await ledger.load());
      connected = true;
      logger.info(
        { delayMs, failureRate, rendering: ffmpegPath !== null },
        "simulator provider started; every video is simulated",
      );
      next.onConnected();
    },

    async stop() {
      connected = false;
      listener = undefined;
      // With a ledger, pending jobs resume on the next start; without one they are lost.
      if (ledger) service.haltAll();
      else service.dropPending();
      await renderer.idle();
      await ledger?.idle();
    },

    isConnected: () => connected,

    async submit(input) {
      // The same check and the same UserFacingError the real models' requests get.
      const request = validateRequest(input.request, input.model.limits);
      if (!modelIds.has(input.model.id)) {
        throw refuse(`The simulator has no model ${input.model.id}.`, 400);
      }
      return outcome(
        await service.create({ jobId: input.jobId, modelId: input.model.id, request }),
      );
    },

    async findSubmitted(input, claimedIds) {
      const match = [service.forJobId(input.jobId), ...service.all()].find(
        (job) =>
          job !== undefined &&
          !claimedIds.has(job.providerJobId) &&
          job.modelId === input.model.id &&
          job.prompt === input.request.prompt &&
          job.createdAt >= input.createdAt,
      );
      return match ? outcome(match) : undefined;
    },

    /** Like Oxen's: only the jobs whose state differs from what the caller holds. */
    async reconcile(pending) {
      return pending
        .map((reference) => {
          const job = service.get(reference.providerJobId);
          return job ? snapshot(job) : lost(reference.providerJobId);
        })
        .filter((update, index) => update.state !== pending[index]?.state);
    },

    async getStatus(providerJobId) {
      const job = service.get(providerJobId);
      return job ? snapshot(job) : lost(providerJobId);
    },

    async cancel(providerJobId) {
      await service.cancel(providerJobId);
    },

    async openResult(url): Promise<ResultDownload> {
      const providerJobId = providerJobIdFromResultUrl(url);
      if (!providerJobId) {
        throw refuse("The simulator serves only its own results (simulator://<job id>).", 400);
      }
      const job = service.get(providerJobId);
      if (job && job.state !== "succeeded") {
        throw refuse(`Simulated job ${providerJobId} has no video; it is ${job.state}.`, 404);
      }
      // After a restart the rendered clip may still be on disk; otherwise serve the sample.
      const path =
        job?.clipPath ?? (await existingFile(renderer.renderedPath(providerJobId))) ?? videoPath;
      const info = await stat(path).catch((error: unknown) => {
        throw refuse("The simulator's video file is missing.", 500, error);
      });
      return { body: createReadStream(path), contentLength: info.size, contentType: "video/mp4" };
    },

    fetchCost: async () => 0,
    estimateCost: () => ({ amount: 0, currency: "USD" }),
  };
}
