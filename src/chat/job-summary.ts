import type { GenerationRequest } from "../domain/generation-request.ts";
import { isPending, type Job, type JobState } from "../jobs/job.ts";
import { describeSeed } from "./ignored-settings.ts";

// Platform-neutral wording of a job's status card; each adapter lays it out its own way.

export const stateTitles: Readonly<Record<JobState, string>> = {
  waiting: "🕒 Waiting for your other jobs",
  submitting: "⏳ Sending to the provider",
  queued: "⏳ Queued",
  running: "🎬 Generating",
  succeeded: "📥 Finished, fetching the video",
  delivering: "📤 Posting the video",
  delivered: "✅ Done",
  failed: "⚠️ Failed",
  cancelled: "🚫 Cancelled",
  delivery_failed: "⚠️ Made, but not posted",
};

export const stateEmoji: Readonly<Record<JobState, string>> = {
  waiting: "🕒",
  submitting: "⏳",
  queued: "⏳",
  running: "🎬",
  succeeded: "📥",
  delivering: "📤",
  delivered: "✅",
  failed: "⚠️",
  cancelled: "🚫",
  delivery_failed: "⚠️",
};

export const modeNames = {
  text: "Text → video",
  image: "Image → video",
  reference: "Reference → video",
} as const;

/** Made by the offline simulator, not a real model: every card and result must say so. */
export function isSimulated(job: Job): boolean {
  return job.provider === "simulator";
}

/** "your video is ready", saying so when it is a simulated one. */
export function readyLine(job: Job): string {
  return isSimulated(job)
    ? "your video is ready (simulated: no real model was used)"
    : "your video is ready";
}

export const simulatedNote = "Offline simulator: no real model was used and nothing was billed.";

/** "🎬 Generating 42%", "🕒 Waiting for your other jobs (#2 in your queue)". */
export function statusTitle(job: Job): string {
  const progress =
    job.state === "running" && job.progress !== undefined ? ` ${Math.round(job.progress)}%` : "";
  const position =
    job.state === "waiting" && job.queuePosition !== undefined
      ? ` (#${job.queuePosition} in your queue)`
      : "";
  return `${stateTitles[job.state]}${progress}${position}`;
}

export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}

export function formatMoney(amount: number): string {
  if (amount === 0) return "free";
  return `$${amount.toFixed(amount < 1 ? 3 : 2)}`;
}

/** "720p · 8 s · 9:16 · seed 7 · fast", or "model defaults". */
export function describeSettings(request: GenerationRequest): string {
  const parts = [
    request.resolution,
    request.duration === undefined
      ? undefined
      : request.duration === -1
        ? "auto length"
        : `${request.duration} s`,
    request.aspectRatio,
    request.generateAudio === undefined ? undefined : request.generateAudio ? "audio" : "no audio",
    describeSeed(request),
    request.tier === "fast" ? "fast" : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(" · ") : "model defaults";
}

/** Which upload became which input, one per line: the frames, or @Image1…, @Video1…, @Audio1. */
export function describeInputs(request: GenerationRequest): string[] {
  const name = (media: { fileName?: string | undefined; url: string }) =>
    media.fileName ?? media.url.split("?")[0]?.split("/").pop() ?? "file";
  const lines: string[] = [];
  if (request.startImage) lines.push(`start: ${name(request.startImage)}`);
  if (request.endImage) lines.push(`end: ${name(request.endImage)}`);
  const groups = [
    ["Image", request.referenceImages],
    ["Video", request.referenceVideos],
    ["Audio", request.referenceAudios],
  ] as const;
  for (const [kind, items] of groups) {
    items.forEach((item, index) => {
      lines.push(`@${kind}${index + 1} = ${name(item)}`);
    });
  }
  return lines;
}

/** The cost line: what it cost, else what it should cost. */
export function describeCost(job: Job): { label: string; value: string } | undefined {
  if (job.cost !== undefined) return { label: "Cost", value: formatMoney(job.cost) };
  if (job.costEstimate === undefined) return undefined;
  const estimate = job.costEstimate === 0 ? "free" : `~${formatMoney(job.costEstimate)}`;
  return { label: "Cost estimate", value: estimate };
}

/** When a running job should finish (ms), extrapolated from its progress so far. */
export function estimatedFinish(job: Job, now: number): number | undefined {
  const progress = job.progress ?? 0;
  if (job.state !== "running" || progress <= 0 || progress >= 100) return undefined;
  const elapsed = now - (job.submittedAt ?? job.createdAt);
  return now + (elapsed * (100 - progress)) / progress;
}

/** How long a finished job took, when it is over. */
export function timeTaken(job: Job): string | undefined {
  if (isPending(job) || job.completedAt === undefined) return undefined;
  return formatDuration(job.completedAt - job.createdAt);
}
