import type { GenerationRequest } from "../domain/generation-request.ts";
import type { Job, JobOrigin } from "../jobs/job.ts";

/** A finished video on local disk, ready to upload. */
export interface DeliverableVideo {
  path: string;
  sizeBytes: number;
  contentType: string;
  fileName: string;
  /** The poster frame (JPEG) beside the video, when ffmpeg could make one. */
  poster?: { path: string; sizeBytes: number };
  /** Set by the core when this is not simply the original file to attach. */
  fit?: DeliveryFit;
}

/**
 * How the core fitted a video over the destination's upload limit, with the words to show:
 * `reencoded`: attach this smaller copy and link the original beside it; `link`: attach nothing,
 * post a link (with the poster) and the note saying why.
 */
export type DeliveryFit =
  | { kind: "reencoded"; originalBytes: number; note: string }
  | { kind: "link"; note: string };

/**
 * A chat platform (Discord, Slack, the playground). Adapters turn platform events into service
 * calls themselves; the service calls back through this port to show progress and deliver.
 */
export interface ChatAdapter {
  /** Matches `JobOrigin.platform` of the jobs this adapter owns. */
  readonly platform: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Largest upload the platform accepts where this job was asked (bytes). */
  uploadLimitBytes(origin: JobOrigin): number;
  /** Creates or edits the job's status card; returns the card's message id to remember. */
  showStatus(job: Job): Promise<string | undefined>;
  /**
   * Posts the video in the job's thread (a copy made to fit, or a link, as `video.fit` says).
   * Called once per job unless it throws.
   */
  deliver(job: Job, video: DeliverableVideo): Promise<void>;
  /**
   * True when the video of this job is already posted where `deliver()` would post it. Asked before
   * posting again a delivery that an earlier process or attempt started, in case the platform took
   * the upload but the bot never heard back. Optional: without it, such a delivery is posted again.
   */
  findDelivery?(job: Job): Promise<boolean>;
  /**
   * The request with fresh links for the inputs whose links expire before `before`, made again from
   * their `sourceUrl`. Asked when an old job is regenerated. Optional: without it (or for inputs it
   * cannot renew), the links stay as they are and the user is asked to attach the files again.
   */
  renewInputs?(
    request: GenerationRequest,
    before: number,
    origin?: JobOrigin,
  ): Promise<GenerationRequest>;
  /**
   * Why the platform works only in part (e.g. Slack has not yet said who the bot is), shown by
   * `/readyz`; undefined when all is well. Optional: without it, the platform counts as ready.
   */
  readinessProblem?(): string | undefined;
}

/** The platforms that report a readiness problem, with the problem (for `/readyz`). */
export function platformProblems(adapters: readonly ChatAdapter[]): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const adapter of adapters) {
    const problem = adapter.readinessProblem?.();
    if (problem) problems[adapter.platform] = problem;
  }
  return problems;
}
