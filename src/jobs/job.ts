import type { GenerationRequest, Resolution } from "../domain/generation-request.ts";

export const jobStates = [
  "waiting",
  "submitting",
  "queued",
  "running",
  "succeeded",
  "failed",
  "cancelled",
  "delivering",
  "delivered",
  "delivery_failed",
] as const;
export type JobState = (typeof jobStates)[number];

/** Jobs not finished yet: held in the user's queue, or with the provider (or maybe: `submitting`). */
export const pendingStates: readonly JobState[] = ["waiting", "submitting", "queued", "running"];
/** Jobs that count against a user's concurrency limit. */
export const activeStates: readonly JobState[] = ["submitting", "queued", "running"];
/** Jobs whose story is over; nothing more will happen to them. */
export const finalStates: readonly JobState[] = [
  "failed",
  "cancelled",
  "delivered",
  "delivery_failed",
];

/** Which states each state may move to; every store write is checked against it. */
export const allowedTransitions: Readonly<Record<JobState, readonly JobState[]>> = {
  waiting: ["waiting", "submitting", "cancelled"],
  submitting: ["queued", "running", "succeeded", "failed", "cancelled"],
  queued: ["queued", "running", "succeeded", "failed", "cancelled"],
  running: ["running", "succeeded", "failed", "cancelled"],
  succeeded: ["delivering", "failed"],
  failed: [],
  cancelled: [],
  delivering: ["delivering", "delivered", "delivery_failed"],
  delivered: [],
  delivery_failed: ["delivering"],
};

/** Where a request came from, so the answer goes back to the same thread. */
export interface JobOrigin {
  platform: string;
  /** Discord guild or Slack workspace; absent in DMs. */
  spaceId?: string;
  /** The Slack enterprise (Enterprise Grid) of the workspace, for org-wide installations. */
  enterpriseId?: string;
  channelId: string;
  threadId?: string;
  /** The chat message that asked (a mention, a reaction's message). */
  messageId?: string;
  /** The platform interaction that asked (a slash command, button or form): its response is the card. */
  interactionId?: string;
  userId: string;
  userName?: string;
  /** The requester's roles in the space (Discord), for allow and deny lists. */
  roles?: string[];
  /** Asked privately: see `src/chat/job-destinations.ts` for where the card and video go. */
  private?: boolean;
}

/**
 * A follow-up job's origin (regenerate, extend, upscale, stitch): the parent's place, the new
 * requester, and what asked for it. A new message or interaction replaces both of the parent's,
 * so the new card never lands on the parent's interaction.
 */
export function followUpOrigin(
  parent: JobOrigin,
  by: { userId: string; userName?: string },
  overrides: Partial<JobOrigin> = {},
): JobOrigin {
  const { messageId, interactionId, ...place } = parent;
  const askedAnew = overrides.messageId !== undefined || overrides.interactionId !== undefined;
  return {
    ...place,
    ...(askedAnew
      ? {}
      : { ...(messageId ? { messageId } : {}), ...(interactionId ? { interactionId } : {}) }),
    userId: by.userId,
    ...(by.userName ? { userName: by.userName } : {}),
    ...overrides,
  };
}

export interface Job {
  id: string;
  origin: JobOrigin;
  request: GenerationRequest;
  provider: string;
  model: string;
  providerJobId?: string;
  state: JobState;
  /** Bumped on every write; the compare-and-set token. */
  version: number;
  createdAt: number;
  updatedAt: number;
  submittedAt?: number;
  completedAt?: number;
  deliveredAt?: number;
  /** Delivery attempts so far. */
  attempts: number;
  progress?: number;
  resultUrl?: string;
  videoPath?: string;
  videoBytes?: number;
  /** What went wrong, worded for the user. */
  error?: string;
  costEstimate?: number;
  cost?: number;
  /** While `waiting`: 1 for the next of the user's jobs to start. */
  queuePosition?: number;
  parentJobId?: string;
  /** The clip this one continues (Extend): it starts from that clip's last frame. */
  extendsJobId?: string;
  /** The job this one makes again at a higher resolution (Upscale). */
  upscaleOf?: string;
  /** The model's highest resolution when this job is below it: what its Upscale button makes. */
  upscaleTo?: Resolution;
  /** The clip's last frame as the provider returned it (BytePlus `last_frame_url`), when it did. */
  lastFrameUrl?: string;
  /** One of several takes of one request (`--takes N`): 1-based `index` of `count`, each with its own seed. */
  take?: { index: number; count: number };
  /** A free job made by the bot itself: these clips (oldest first) joined into one video (Stitch). */
  stitchOf?: string[];
  statusMessageId?: string;
  /**
   * The fencing token of the newest claim on this job's work (submit, download, deliver) that wrote it; a
   * write under an older claim is refused (see `TransitionOptions.fence`).
   */
  fence?: number;
  /** When the next delivery attempt is due (ms): retries are durable, any instance may make it. */
  nextAttemptAt?: number;
}

export type NewJob = Omit<Job, "version" | "updatedAt" | "attempts" | "state"> & {
  state?: JobState;
};

/** Fields a transition may change; identity and origin never change. */
export type JobPatch = Partial<
  Omit<Job, "id" | "origin" | "request" | "provider" | "model" | "version" | "createdAt" | "state">
>;

export function isPending(job: Job): boolean {
  return pendingStates.includes(job.state);
}

/** Whether a finished result offers Upscale: it is below its model's highest resolution. */
export function offersUpscale(job: {
  upscaleTo?: Resolution | undefined;
  stitchOf?: string[] | undefined;
}): boolean {
  return job.upscaleTo !== undefined && !job.stitchOf;
}
