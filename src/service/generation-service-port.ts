import type { ChatAdapter, DeliverableVideo } from "../chat/chat-adapter.ts";
import type { GenerationRequestInput } from "../domain/generation-request.ts";
import type { Job, JobOrigin } from "../jobs/job.ts";
import type { UsageReport } from "../policy/usage-policy.ts";
import type { SpaceKey } from "../settings/space-settings.ts";
import type {
  SettingsEditor,
  SpaceSettingsPatch,
  SpaceSettingsView,
} from "../settings/space-settings-service.ts";

/** Who is acting on a job (cancel, regenerate); admins may act on others' jobs. */
export interface Actor {
  platform: string;
  userId: string;
  userName?: string;
  isAdmin?: boolean;
}

export interface RegenerateOverrides {
  seed?: number;
  prompt?: string;
  /** Where the new job's answer goes (defaults to the parent's thread). */
  origin?: Partial<JobOrigin>;
  /** The platform event (reaction, button press) asking; repeated, it returns the same job. */
  idempotencyKey?: string;
}

export interface ExtendOverrides {
  /** What happens next; the parent's prompt when empty. */
  prompt?: string;
  /** Settings over the parent's (duration, resolution…), from the form's flags. */
  settings?: Partial<
    Pick<
      GenerationRequestInput,
      "duration" | "resolution" | "aspectRatio" | "generateAudio" | "seed"
    >
  >;
  /** Where the new clip's answer goes (defaults to the parent's thread). */
  origin?: Partial<JobOrigin>;
  /** The platform event asking; repeated, it returns the same job. */
  idempotencyKey?: string;
}

export interface StitchOptions {
  origin?: Partial<JobOrigin>;
  idempotencyKey?: string;
}

export interface SubmitOptions {
  /** The job this one regenerates or remixes. */
  parentJobId?: string;
  /** A platform event id: the same key twice returns the first job instead of making a second. */
  idempotencyKey?: string;
  /** What is done to the parent job ("regenerate"; default "remix"): one per few seconds each. */
  action?: string;
  /** The clip this one continues (Extend). */
  extendsJobId?: string;
  /** The job this one makes again at the model's highest resolution (Upscale). */
  upscaleOf?: string;
  /**
   * Independent generations of the request with different seeds (1 to `MAX_TAKES`; default 1), admitted
   * together or not at all; `submit` returns the first take.
   */
  takes?: number;
}

export interface UpscaleOptions {
  /** Where the new job's answer goes (defaults to the parent's thread). */
  origin?: Partial<JobOrigin>;
  /** The platform event asking; repeated, it returns the same job. */
  idempotencyKey?: string;
}

export type JobListener = (job: Job) => void;

/** What chat adapters call. Throws UserFacingError for anything the user must change. */
export interface GenerationServicePort {
  /** Validates, persists, then submits; returns the job (the first take) as persisted (usually `queued`). */
  submit(request: GenerationRequestInput, origin: JobOrigin, options?: SubmitOptions): Promise<Job>;
  cancel(jobId: string, by: Actor): Promise<Job>;
  /** Same request with a new seed unless one is given, linked to its parent. */
  regenerate(jobId: string, by: Actor, overrides?: RegenerateOverrides): Promise<Job>;
  /**
   * Posts a finished video again after its delivery failed for good (the platform refused it for
   * too long). Costs nothing: the saved video is posted, or downloaded again if it is gone. Anyone
   * on the job's platform may ask; it goes where the job was asked for.
   */
  retryDelivery(jobId: string, by: Actor): Promise<Job>;
  /**
   * Extend: the next clip starts from the last frame of this job's video (image-to-video), linked
   * to it as its parent. A chain takes at most four extensions.
   */
  extend(jobId: string, by: Actor, overrides?: ExtendOverrides): Promise<Job>;
  /**
   * Stitch: the chain of clips ending with this job (two or more, made with Extend) joined into one
   * MP4, posted in the thread like any video. Free: no provider call, no budget.
   */
  stitch(jobId: string, by: Actor, options?: StitchOptions): Promise<Job>;
  /**
   * Upscale: the same prompt, inputs and seed at the highest resolution the model allows, linked to
   * the job as its parent; refused when the job is already there.
   */
  upscale(jobId: string, by: Actor, options?: UpscaleOptions): Promise<Job>;
  getJob(jobId: string): Promise<Job | undefined>;
  /**
   * The finished video of a job as a file on this instance, copied from the shared store when another
   * instance downloaded it (DATABASE_URL); undefined when no instance kept it.
   */
  videoFile(jobId: string): Promise<DeliverableVideo | undefined>;
  /** Seconds of video spent today by the user (and their space), against the daily budgets. */
  usage(platform: string, userId: string, spaceId?: string): Promise<UsageReport>;
  /** A server's or workspace's own settings, the limits in force and its last changes (`/settings`). */
  spaceSettings(space: SpaceKey): Promise<SpaceSettingsView>;
  /**
   * Changes a space's settings (null: back to the operator's), within the operator's ceilings, recording
   * who changed what. Refused unless `by.isAdmin`, as the platform decides it.
   */
  updateSpaceSettings(
    space: SpaceKey,
    patch: SpaceSettingsPatch,
    by: SettingsEditor,
  ): Promise<SpaceSettingsView>;
  /** The user's jobs, newest first. */
  jobsFor(platform: string, userId: string, limit?: number): Promise<Job[]>;
  /**
   * True the first time a platform event (its key: Slack event id, trigger id, a Discord reaction's
   * `reactionKey`) is seen by any instance sharing the store; a retried or replayed delivery gets false.
   */
  isFirstDelivery(platform: string, eventKey: string): Promise<boolean>;
  registerAdapter(adapter: ChatAdapter): void;
  /** Every persisted change of every job (for metrics and live views). Returns an unsubscribe. */
  onJobChange(listener: JobListener): () => void;
}
