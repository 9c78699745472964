import { mediaKindOf } from "../../commands/incoming-media.ts";
import { formatFlags } from "../../commands/index.ts";
import { describeAudio, describeSeed, inputRoles, takeLabel } from "../../src/chat/job-summary.ts";
import type { GenerationRequest, MediaInput } from "../../src/domain/generation-request.ts";
import { isPending, type Job, type JobState, offersUpscale } from "../../src/jobs/job.ts";
import type { AttachmentView, CardEntry, CardPhase } from "./entries.ts";

const phases: Readonly<Record<JobState, CardPhase>> = {
  waiting: "queued",
  submitting: "queued",
  queued: "queued",
  running: "running",
  succeeded: "finishing",
  delivering: "finishing",
  delivered: "done",
  failed: "failed",
  delivery_failed: "failed",
  cancelled: "cancelled",
};

export function phaseOf(state: JobState): CardPhase {
  return phases[state];
}

const modeNames = {
  text: "text to video",
  image: "image to video",
  reference: "reference to video",
} as const;

export interface CardContext {
  simulated: boolean;
  videoUrl: string | undefined;
  /** The video's poster frame, shown before it plays. */
  posterUrl?: string | undefined;
  reactions: readonly string[];
  /** Where the page can show an input (the media host's URL, made relative when it is ours). */
  previewUrl(url: string): string;
}

export function attachmentView(media: MediaInput, previewUrl: string): AttachmentView {
  return {
    fileName: media.fileName ?? "attachment",
    contentType: media.contentType ?? "application/octet-stream",
    kind: mediaKindOf(media) ?? "image",
    previewUrl,
  };
}

function detailsOf(request: GenerationRequest): string {
  const duration = request.duration ?? -1;
  return [
    duration === -1 ? "auto length" : `${duration} s`,
    request.aspectRatio ?? "adaptive",
    request.resolution ?? "720p",
    describeAudio(request),
    describeSeed(request),
    request.tier === "fast" ? "fast tier" : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(" · ");
}

/** The prompt and its settings as a user would type them again (a new seed is drawn). */
export function remixTextOf(request: GenerationRequest): string {
  const flags = formatFlags({
    ...(request.aspectRatio ? { aspectRatio: request.aspectRatio } : {}),
    ...(request.duration === undefined ? {} : { duration: request.duration }),
    ...(request.resolution ? { resolution: request.resolution } : {}),
    ...(request.generateAudio === undefined ? {} : { generateAudio: request.generateAudio }),
    ...(request.tier === "fast" ? { fast: true } : {}),
  });
  return [request.prompt, flags].filter(Boolean).join(" ");
}

export function cardOf(job: Job, context: CardContext): CardEntry {
  const { request } = job;
  const take = takeLabel(job);
  return {
    kind: "card",
    id: `card-${job.id}`,
    threadId: job.origin.threadId ?? job.origin.channelId,
    at: job.createdAt,
    jobId: job.id,
    version: job.version,
    state: job.state,
    phase: phaseOf(job.state),
    pending: isPending(job),
    ...(job.progress === undefined ? {} : { progress: job.progress }),
    ...(job.state === "waiting" && job.queuePosition !== undefined
      ? { queuePosition: job.queuePosition }
      : {}),
    prompt: request.prompt,
    mode: modeNames[request.mode],
    ...(take ? { take } : {}),
    details: detailsOf(request),
    simulated: context.simulated || job.provider === "simulator",
    inputs: inputRoles(request).map(({ label, media }) => ({
      ...attachmentView(media, context.previewUrl(media.url)),
      label,
    })),
    remixText: remixTextOf(request),
    reactions: [...context.reactions],
    ...(job.error ? { error: job.error } : {}),
    ...(job.parentJobId ? { parentJobId: job.parentJobId } : {}),
    ...(job.extendsJobId ? { extendsJobId: job.extendsJobId } : {}),
    ...(job.stitchOf ? { stitchOf: job.stitchOf } : {}),
    ...(offersUpscale(job) && job.upscaleTo ? { upscaleTo: job.upscaleTo } : {}),
    ...(context.videoUrl ? { videoUrl: context.videoUrl } : {}),
    ...(context.videoUrl && context.posterUrl ? { posterUrl: context.posterUrl } : {}),
    ...(job.origin.messageId ? { replyTo: `message-${job.origin.messageId}` } : {}),
  };
}
