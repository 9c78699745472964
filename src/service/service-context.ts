import type { BlobStore } from "../blobs/blob-store.ts";
import type { ChatAdapter } from "../chat/chat-adapter.ts";
import type { Job } from "../jobs/job.ts";
import type { JobStore } from "../jobs/job-store.ts";
import type { Logger } from "../logger.ts";
import type { GenerationProvider } from "../providers/generation-provider.ts";

export interface ServiceSettings {
  /** Where finished videos are saved (`DATA_DIR/videos`). */
  videoDirectory: string;
  maxVideoBytes: number;
  /** How often pending jobs are reconciled with the provider's list, as a safety net for SSE. */
  sweepIntervalMs: number;
  /** A job still pending after this long is cancelled at the provider and failed. */
  jobTimeoutMs: number;
  deliveryMaxAttempts: number;
  deliveryBackoffMs: { initialMs: number; maxMs: number };
  /** Tries to find a job whose create call had an unknown outcome, before giving up. */
  unknownOutcomeChecks: number;
  /** Jobs one user may have at the provider at once; more wait their turn (0: no limit). */
  maxJobsPerUser: number;
  /** Takes one request may ask for (`--takes`, `MAX_TAKES`). */
  maxTakes: number;
}

export const defaultSettings: Omit<ServiceSettings, "videoDirectory"> = {
  maxVideoBytes: 512 * 1024 ** 2,
  sweepIntervalMs: 60_000,
  jobTimeoutMs: 45 * 60_000,
  deliveryMaxAttempts: 6,
  deliveryBackoffMs: { initialMs: 2_000, maxMs: 120_000 },
  unknownOutcomeChecks: 3,
  maxJobsPerUser: 2,
  maxTakes: 4,
};

/** What the service's parts share; built once by the service. */
export interface ServiceContext {
  readonly store: JobStore;
  readonly provider: GenerationProvider;
  readonly logger: Logger;
  readonly adapters: ReadonlyMap<string, ChatAdapter>;
  readonly settings: ServiceSettings;
  readonly now: () => number;
  readonly random: () => number;
  /** Downloaded videos every instance reaches (DATABASE_URL); absent for a single process. */
  readonly videoBlobs?: BlobStore | undefined;
  /** Announces a persisted change: status card, listeners, follow-up work. */
  changed(job: Job): void;
  /** The job's next state follows at once (its post is going out): a passing state's card is skipped. */
  overwriting(jobId: string): void;
}
