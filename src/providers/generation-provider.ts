import type { Readable } from "node:stream";
import type { GenerationRequest } from "../domain/generation-request.ts";
import type { ModelCatalog, ModelEntry } from "../domain/model-catalog.ts";

export type ProviderJobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** What the provider says about one of its jobs, pushed (SSE, callback) or pulled (poll, list). */
export interface ProviderUpdate {
  providerJobId: string;
  state: ProviderJobState;
  resultUrl?: string;
  /** The clip's last frame, where the provider returns one (BytePlus `return_last_frame`). */
  lastFrameUrl?: string;
  /** The provider's reason for a failure. */
  error?: string;
  /** 0–100, where the provider reports it. */
  progress?: number;
  etaSeconds?: number;
}

export interface SubmitInput {
  /** Our job id; also the idempotency key where the provider supports one. */
  jobId: string;
  model: ModelEntry;
  request: GenerationRequest;
  /** When the job was persisted (ms); bounds the search after an unknown outcome. */
  createdAt: number;
}

export interface SubmitOutcome {
  providerJobId: string;
  state: ProviderJobState;
}

/** A pending job as the provider needs to see it during reconciliation. */
export interface PendingJobRef {
  providerJobId: string;
  state: ProviderJobState;
}

export interface ProviderListener {
  onUpdate(update: ProviderUpdate): void;
  /** The push channel (re)connected: anything may have been missed, so reconcile now. */
  onConnected(): void;
  onDisconnected(reason: string): void;
}

export interface ResultDownload {
  body: Readable;
  contentLength?: number;
  contentType?: string;
}

export interface CostEstimate {
  amount: number;
  currency: string;
}

/** A video generation provider (Oxen, AIHubMax, the simulator). The service speaks only to this. */
export interface GenerationProvider {
  readonly name: string;
  readonly catalog: ModelCatalog;
  /** Opens the push channel and fetches model details; call before the first submit. */
  start(listener: ProviderListener): Promise<void>;
  stop(): Promise<void>;
  /** True while updates can arrive by push (always true for providers that only poll). */
  isConnected(): boolean;
  /**
   * Creates the provider job. Throws ProviderError; `outcomeUnknown` means it may exist anyway and
   * must not be blindly re-sent (it would be charged twice).
   */
  submit(input: SubmitInput): Promise<SubmitOutcome>;
  /** After an unknown outcome: the job the provider created for this input, if any. */
  findSubmitted(
    input: SubmitInput,
    claimedIds: ReadonlySet<string>,
  ): Promise<SubmitOutcome | undefined>;
  /** Asks about every pending job at once, as cheaply as the API allows; returns what changed. */
  reconcile(pending: readonly PendingJobRef[]): Promise<ProviderUpdate[]>;
  /** Current state of one job (also refreshes an expired result URL). */
  getStatus(providerJobId: string): Promise<ProviderUpdate>;
  cancel(providerJobId: string): Promise<void>;
  /** Streams the finished video; credentials go only to the provider's own host. */
  openResult(url: string): Promise<ResultDownload>;
  /** What the job actually cost, when the provider reports it. */
  fetchCost(providerJobId: string): Promise<number | undefined>;
  estimateCost(request: GenerationRequest, model: ModelEntry): CostEstimate | undefined;
  /**
   * The settings of `request` (its field names, e.g. `seed`) that this model cannot take and that
   * are therefore not sent; the card says so. Absent = every setting is sent.
   */
  ignoredSettings?(request: GenerationRequest, model: ModelEntry): string[];
}
