import type { types } from "@slack/bolt";
import type { GalleryItem } from "../../src/chat/job-gallery.ts";
import { describeSettings, stateEmoji, stateLabel } from "../../src/chat/job-summary.ts";
import { isPending, type Job } from "../../src/jobs/job.ts";
import { fitSlack, promptExcerpt, slackLimits } from "./slack-text.ts";
import { slackDate } from "./status-card.ts";

/** `/jobs`: the user's recent videos, newest first, pending ones counted. */
export function listJobs(jobs: readonly Job[]): string {
  if (jobs.length === 0) return "You have no videos yet. Try `/video a fox running through snow`.";
  const pending = jobs.filter(isPending);
  const lines = jobs.map(
    (job) =>
      `${stateEmoji[job.state]} \`${job.id}\` ${stateLabel(job)} · ${promptExcerpt(job.request.prompt, 60)} · ${describeSettings(job.request)} · ${slackDate(job.createdAt)}`,
  );
  const header = `*Your videos* (${pending.length} pending; cancel with \`/cancel <job>\`)`;
  return fitSlack([header, ...lines].join("\n"), slackLimits.replyText);
}

/**
 * `/jobs` laid out with the posters of recent results: the list, then one section per result
 * with its poster as the accessory image (links Slack fetches, so only when the bot is public).
 */
export function jobsBlocks(
  list: string,
  posters: ReadonlyArray<{ item: GalleryItem; url: string }>,
): types.KnownBlock[] {
  return [
    { type: "section", text: { type: "mrkdwn", text: fitSlack(list, slackLimits.sectionText) } },
    ...posters.map(
      ({ item, url }): types.KnownBlock => ({
        type: "section",
        text: {
          type: "mrkdwn",
          text: `\`${item.job.id}\` · ${promptExcerpt(item.job.request.prompt, 80)}`,
        },
        accessory: { type: "image", image_url: url, alt_text: "A frame of the video" },
      }),
    ),
  ];
}
