import type { types } from "@slack/bolt";
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
import { isPending, type Job } from "../../src/jobs/job.ts";
import { jobButtons, jobFooter } from "./job-actions.ts";
import { fitSlack, promptExcerpt, safePrompt, slackLimits, truncate } from "./slack-text.ts";

/** A Slack date that each reader sees in their own time zone, e.g. "3 minutes ago". */
export function slackDate(milliseconds: number, format = "{ago}"): string {
  const seconds = Math.round(milliseconds / 1000);
  return `<!date^${seconds}^${format}|${new Date(seconds * 1000).toISOString()}>`;
}

function field(name: string, value: string): types.MrkdwnElement {
  return { type: "mrkdwn", text: fitSlack(`*${name}*\n${value}`, slackLimits.fieldText) };
}

function quoted(text: string): string {
  return text
    .split("\n")
    .map((line) => `>${line}`)
    .join("\n");
}

function requester(job: Job): string {
  const { userName, userId } = job.origin;
  // A name, not a mention: the card should not notify anyone; the finished video does.
  return userName ? safePrompt(userName) : `<@${userId}>`;
}

function fieldsOf(job: Job, now: number): types.MrkdwnElement[] {
  const fields = [
    field("Mode", modeNames[job.request.mode]),
    field("Model", safePrompt(job.model)),
    field("Settings", describeSettings(job.request)),
  ];
  const inputs = describeInputs(job.request);
  if (inputs.length > 0)
    fields.push(field("Inputs", safePrompt(truncate(inputs.join("\n"), 1024))));
  const cost = describeCost(job);
  if (cost) fields.push(field(cost.label, cost.value));
  fields.push(field("Requested by", requester(job)));
  const took = timeTaken(job);
  if (took) fields.push(field("Took", took));
  if (isPending(job)) fields.push(field("Started", slackDate(job.createdAt)));
  const eta = estimatedFinish(job, now);
  if (eta !== undefined) fields.push(field("ETA", slackDate(eta)));
  return fields;
}

/** The job's status card: what was asked, how, what it costs, where it stands, and its buttons. */
export function renderStatusCard(
  job: Job,
  now: number,
): { text: string; blocks: types.KnownBlock[] } {
  const title = statusTitle(job);
  const blocks: types.KnownBlock[] = [
    {
      type: "section",
      block_id: "job_status",
      text: {
        type: "mrkdwn",
        // Cut after escaping: "&" becomes 5 characters, and Slack counts what is sent.
        text: fitSlack(
          `*${title}*\n${quoted(safePrompt(truncate(job.request.prompt, 1500)))}`,
          slackLimits.sectionText,
        ),
      },
    },
    { type: "section", block_id: "job_fields", fields: fieldsOf(job, now) },
  ];
  if (job.error && !isPending(job)) {
    blocks.push({
      type: "section",
      block_id: "job_error",
      text: {
        type: "mrkdwn",
        text: fitSlack(`*Why*\n${safePrompt(truncate(job.error, 1024))}`, slackLimits.sectionText),
      },
    });
  }
  const buttons = jobButtons(job);
  if (buttons) blocks.push(buttons);
  blocks.push({
    type: "context",
    block_id: "job_footer",
    elements: [
      { type: "mrkdwn", text: jobFooter(job.id) },
      ...(isSimulated(job) ? [{ type: "mrkdwn" as const, text: simulatedNote }] : []),
    ],
  });
  return { text: `${title}: ${promptExcerpt(job.request.prompt, 120)}`, blocks };
}
