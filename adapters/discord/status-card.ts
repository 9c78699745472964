import type { APIEmbed, APIEmbedField } from "discord.js";
import { fitRendered, truncateText } from "../../src/chat/excerpt.ts";
import {
  describeCost,
  describeInputs,
  describeSettings,
  estimatedFinish,
  isSimulated,
  modeNames,
  simulatedNote,
  statusTitle,
  timeTaken,
} from "../../src/chat/job-summary.ts";
import { isPending, type Job, type JobState } from "../../src/jobs/job.ts";
import {
  type ButtonRow,
  jobFooter,
  pendingButtons,
  retryButtons,
  undeliveredButtons,
} from "./job-links.ts";
import { literalPrompt } from "./literal-prompt.ts";
import { cardPromptCharacters, discordLimits } from "./message-limits.ts";

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

function unixSeconds(milliseconds: number): number {
  return Math.round(milliseconds / 1000);
}

function timing(job: Job, now: number): APIEmbedField[] {
  const took = timeTaken(job);
  if (took) return [{ name: "Took", value: took, inline: true }];
  if (!isPending(job)) return [];
  const fields: APIEmbedField[] = [
    { name: "Started", value: `<t:${unixSeconds(job.createdAt)}:R>`, inline: true },
  ];
  const finish = estimatedFinish(job, now);
  if (finish !== undefined)
    fields.push({ name: "ETA", value: `<t:${unixSeconds(finish)}:R>`, inline: true });
  return fields;
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
  if (inputs.length > 0)
    fields.push({
      name: "Inputs",
      value: truncateText(inputs.join("\n"), discordLimits.embedFieldValue),
      inline: false,
    });
  const cost = describeCost(job);
  if (cost) fields.push({ name: cost.label, value: cost.value, inline: true });
  fields.push({ name: "Requested by", value: `<@${job.origin.userId}>`, inline: true });
  if (isSimulated(job)) fields.push({ name: "Simulated", value: simulatedNote, inline: false });
  fields.push(...timing(job, now));
  if (job.error && !isPending(job)) {
    fields.push({
      name: "Why",
      value: truncateText(job.error, discordLimits.embedFieldValue),
      inline: false,
    });
  }
  const embed: APIEmbed = {
    title: truncateText(statusTitle(job), discordLimits.embedTitle),
    description: fitRendered(job.request.prompt, cardPromptCharacters, literalPrompt),
    color: colors[job.state],
    fields,
    footer: { text: jobFooter(job.id) },
    timestamp: new Date(job.createdAt).toISOString(),
  };
  const components = isPending(job)
    ? pendingButtons(job.id)
    : job.state === "failed" || job.state === "cancelled"
      ? retryButtons(job.id)
      : job.state === "delivery_failed"
        ? undeliveredButtons(job.id)
        : [];
  return { embeds: [embed], components };
}
