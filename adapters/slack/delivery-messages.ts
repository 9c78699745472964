import type { types } from "@slack/bolt";
import { readyLine } from "../../src/chat/job-summary.ts";
import type { Job } from "../../src/jobs/job.ts";
import { jobFooter } from "./job-actions.ts";
import { fitSlack, promptExcerpt, slackLimits } from "./slack-text.ts";
import { slackDate } from "./status-card.ts";

/** What the providers state for their result URLs: about a day after the video was made. */
export const providerLinkLifetimeMs = 24 * 60 * 60_000;

/** The link button's action: opening the link is Slack's job, the app only acknowledges it. */
export const downloadActionId = "download_video";

/** "@alice your video is ready: <the prompt's first line>", the first line of every delivery. */
export function deliveryHeading(job: Job): string {
  return `<@${job.origin.userId}> ${readyLine(job)}: ${promptExcerpt(job.request.prompt)}`;
}

/**
 * The link-only delivery: the heading, the poster (when Slack can fetch it), a download button,
 * and why it is a link and how long it works.
 */
export function linkMessage(
  job: Job,
  parts: { heading: string; link: string; note: string; posterUrl?: string | undefined },
): { text: string; blocks: types.KnownBlock[] } {
  const poster: types.KnownBlock[] = parts.posterUrl
    ? [{ type: "image", image_url: parts.posterUrl, alt_text: "A frame of the video" }]
    : [];
  return {
    text: parts.heading,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: fitSlack(parts.heading, slackLimits.sectionText) },
      },
      ...poster,
      {
        type: "actions",
        elements: [
          {
            type: "button",
            // Slack still sends a click on a link button to the app: it is acknowledged.
            action_id: downloadActionId,
            text: { type: "plain_text", text: "⬇️ Download the video" },
            url: parts.link,
          },
        ],
      },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: fitSlack(`${parts.note} ${jobFooter(job.id)}`, 2000) }],
      },
    ],
  };
}

/** "The link works until <date> (7 days)." in each reader's own time zone, or the provider's stated day. */
export function linkLifetime(
  own: { url: string; expiresAt?: number | undefined } | undefined,
  job: Job,
  now: number,
): string {
  const format = "{date_short_pretty} at {time}";
  if (own?.expiresAt !== undefined) {
    const days = Math.round((own.expiresAt - now) / (24 * 60 * 60_000));
    const span = days >= 1 ? ` (${days} day${days === 1 ? "" : "s"})` : "";
    return `The link works until ${slackDate(own.expiresAt, format)}${span}.`;
  }
  if (own) return "";
  const expiresAt = (job.completedAt ?? now) + providerLinkLifetimeMs;
  return `The link is the provider's, which keeps it about a day: until about ${slackDate(expiresAt, format)}.`;
}
