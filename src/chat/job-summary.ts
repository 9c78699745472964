import type { GenerationRequest, MediaInput } from "../domain/generation-request.ts";
import { isPending, type Job, type JobState } from "../jobs/job.ts";

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

/** "Take 2 of 3" for one of several takes of one request (`--takes`); undefined for a single video. */
export function takeLabel(job: Pick<Job, "take">): string | undefined {
  return job.take && job.take.count > 1 ? `Take ${job.take.index} of ${job.take.count}` : undefined;
}

/** "your video is ready", with its take ("(Take 2 of 3)"), saying so when it is a simulated one. */
export function readyLine(job: Job): string {
  const notes = [
    takeLabel(job),
    isSimulated(job) ? "simulated: no real model was used" : undefined,
  ].filter((note) => note !== undefined);
  return notes.length > 0 ? `your video is ready (${notes.join("; ")})` : "your video is ready";
}

export const simulatedNote = "Offline simulator: no real model was used and nothing was billed.";

/** "🎬 Generating 42%", "🕒 Waiting for your other jobs (#2 in your queue)", "✅ Done · Take 2 of 3". */
export function statusTitle(job: Job): string {
  const take = takeLabel(job);
  return take ? `${stateTitle(job)} · ${take}` : stateTitle(job);
}

function stateTitle(job: Job): string {
  const progress =
    job.state === "running" && job.progress !== undefined ? ` ${Math.round(job.progress)}%` : "";
  const position =
    job.state === "waiting" && job.queuePosition !== undefined
      ? ` (#${job.queuePosition} in your queue)`
      : "";
  return `${stateTitles[job.state]}${progress}${position}`;
}

const stateWords: Readonly<Record<JobState, string>> = {
  waiting: "waiting",
  submitting: "sending",
  queued: "queued at the provider",
  running: "generating",
  succeeded: "fetching the video",
  delivering: "posting",
  delivered: "done",
  failed: "failed",
  cancelled: "cancelled",
  delivery_failed: "made, not posted",
};

/** A job's state in a list: "waiting (#2 in your queue)", "generating 40%", "done". */
export function stateLabel(job: Job): string {
  if (job.state === "waiting") {
    return job.queuePosition === undefined
      ? "waiting for your other jobs"
      : `waiting (#${job.queuePosition} in your queue)`;
  }
  if (job.state === "running" && job.progress !== undefined) {
    return `generating ${Math.round(job.progress)}%`;
  }
  return stateWords[job.state];
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

/** "audio on", "audio off", or the model's default when the user did not say. */
export function describeAudio(request: GenerationRequest): string {
  if (request.generateAudio === undefined) return "audio: model default";
  return request.generateAudio ? "audio on" : "audio off";
}

/**
 * "seed 7", "random seed" when none was asked for (the model picks one), or "seed 7 (not used: …)" when
 * the model cannot take one (the provider said so at admission).
 */
export function describeSeed(request: GenerationRequest): string {
  if (request.seed === undefined || request.seed === -1) return "random seed";
  return request.ignoredSettings?.includes("seed")
    ? `seed ${request.seed} (not used: this model takes no seed)`
    : `seed ${request.seed}`;
}

/** "720p · 8 s · 9:16 · audio on · seed 7 · fast": always says whether there is sound, and the seed. */
export function describeSettings(request: GenerationRequest): string {
  const parts = [
    request.resolution,
    request.duration === undefined
      ? undefined
      : request.duration === -1
        ? "auto length"
        : `${request.duration} s`,
    request.aspectRatio,
    describeAudio(request),
    describeSeed(request),
    request.tier === "fast" ? "fast" : undefined,
  ].filter((part) => part !== undefined);
  return parts.join(" · ");
}

/** How the prompt and the model name an input: "start frame", "end frame", "@Image1", "@Video2", "@Audio1". */
export interface InputRole {
  label: string;
  media: MediaInput;
}

/** Every input of a request in the order the cards show them, each with its role's label. */
export function inputRoles(request: GenerationRequest): InputRole[] {
  const roles: InputRole[] = [];
  if (request.startImage) roles.push({ label: "start frame", media: request.startImage });
  if (request.endImage) roles.push({ label: "end frame", media: request.endImage });
  const groups = [
    ["Image", request.referenceImages],
    ["Video", request.referenceVideos],
    ["Audio", request.referenceAudios],
  ] as const;
  for (const [kind, items] of groups) {
    items.forEach((media, index) => {
      roles.push({ label: `@${kind}${index + 1}`, media });
    });
  }
  return roles;
}

/** The file name a user knows an input by (its upload name, else the last part of its URL). */
export function inputFileName(media: MediaInput): string {
  return media.fileName ?? media.url.split("?")[0]?.split("/").pop() ?? "file";
}

/**
 * Which upload became which input, one per line, named as the prompt and the model see them:
 * "start frame: cat.png", "end frame: dog.png", "@Image1: cat.png", "@Video1: …", "@Audio1: …".
 */
export function describeInputs(request: GenerationRequest): string[] {
  return inputRoles(request).map(({ label, media }) => `${label}: ${inputFileName(media)}`);
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
