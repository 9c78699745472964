import type { APIEmbed, APIEmbedField } from "discord.js";
import { statusTitle } from "../../src/chat/job-summary.ts";
import type { GenerationRequest } from "../../src/domain/generation-request.ts";
import { isPending, type Job, type JobState } from "../../src/jobs/job.ts";
import { type ButtonRow, jobFooter, pendingButtons, retryButtons } from "./job-links.ts";

const colors: Readonly<Record<JobState, number>> = {
  waiting: 0x99aab5,
  submitting: 0x99aab5,
  queued: 0x99aab5,
  running: 0x5865f2,
  succeeded: 0x5865f2,
  delivering: 0x5865f2,
  delivered: 0x57f287,
  failed: 0xed4245,
  cancelled: 0x4f545c,
  delivery_failed: 0xed4245,
};

const modeNames = { text: "Text → video", image: "Image → video", reference: "Reference → video" };

function truncate(text: string, maximum: number): string {
  return text.length <= maximum ? text : `${text.slice(0, maximum - 1)}…`;
}

function unixSeconds(milliseconds: number): number {
  return Math.round(milliseconds / 1000);
}

export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}

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
    request.seed === undefined ? undefined : `seed ${request.seed}`,
    request.tier === "fast" ? "fast" : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? parts.join(" · ") : "model defaults";
}

/** Which upload became which input: the start/end frames, or @Image1…, @Video1…, @Audio1. */
export function describeInputs(request: GenerationRequest): string | undefined {
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
  return lines.length > 0 ? truncate(lines.join("\n"), 1024) : undefined;
}

function timing(job: Job, now: number): APIEmbedField[] {
  if (!isPending(job) && job.completedAt !== undefined) {
    return [{ name: "Took", value: formatDuration(job.completedAt - job.createdAt), inline: true }];
  }
  if (!isPending(job)) return [];
  const fields: APIEmbedField[] = [
    { name: "Started", value: `<t:${unixSeconds(job.createdAt)}:R>`, inline: true },
  ];
  const progress = job.progress ?? 0;
  if (job.state === "running" && progress > 0 && progress < 100) {
    const elapsed = now - (job.submittedAt ?? job.createdAt);
    const eta = now + (elapsed * (100 - progress)) / progress;
    fields.push({ name: "ETA", value: `<t:${unixSeconds(eta)}:R>`, inline: true });
  }
  return fields;
}

function money(amount: number): string {
  if (amount === 0) return "free";
  return `$${amount.toFixed(amount < 1 ? 3 : 2)}`;
}

/** The job's status card: what was asked, how, what it costs, and where it stands. */
export function renderStatusCard(
  job: Job,
  now: number,
): { embeds: APIEmbed[]; components: ButtonRow[] } {
  const fields: APIEmbedField[] = [
    { name: "Mode", value: modeNames[job.request.mode], inline: true },
    { name: "Model", value: job.model, inline: true },
    { name: "Settings", value: describeSettings(job.request), inline: true },
  ];
  const inputs = describeInputs(job.request);
  if (inputs) fields.push({ name: "Inputs", value: inputs, inline: false });
  if (job.cost !== undefined) fields.push({ name: "Cost", value: money(job.cost), inline: true });
  else if (job.costEstimate !== undefined) {
    const estimate = job.costEstimate === 0 ? "free" : `~${money(job.costEstimate)}`;
    fields.push({ name: "Cost estimate", value: estimate, inline: true });
  }
  fields.push({ name: "Requested by", value: `<@${job.origin.userId}>`, inline: true });
  fields.push(...timing(job, now));
  if (job.error && !isPending(job)) {
    fields.push({ name: "Why", value: truncate(job.error, 1024), inline: false });
  }
  const embed: APIEmbed = {
    title: statusTitle(job),
    description: truncate(job.request.prompt, 1500),
    color: colors[job.state],
    fields,
    footer: { text: jobFooter(job.id) },
    timestamp: new Date(job.createdAt).toISOString(),
  };
  const components = isPending(job)
    ? pendingButtons(job.id)
    : job.state === "failed" || job.state === "cancelled"
      ? retryButtons(job.id)
      : [];
  return { embeds: [embed], components };
}
