import { boundedExcerpt, characterLength } from "../../src/chat/excerpt.ts";
import type { GalleryItem } from "../../src/chat/job-gallery.ts";
import { describeSettings, stateEmoji, stateLabel } from "../../src/chat/job-summary.ts";
import { isPending, type Job } from "../../src/jobs/job.ts";
import { literalPrompt } from "./literal-prompt.ts";
import { discordLimits, fitContent } from "./message-limits.ts";

function linkTo(job: Job): string {
  if (!job.statusMessageId) return "";
  const channel = job.origin.threadId ?? job.origin.channelId;
  return ` · [card](https://discord.com/channels/${job.origin.spaceId ?? "@me"}/${channel}/${job.statusMessageId})`;
}

function line(job: Job): string {
  const prompt = literalPrompt(boundedExcerpt(job.request.prompt, 60));
  const created = `<t:${Math.round(job.createdAt / 1000)}:R>`;
  return `${stateEmoji[job.state]} \`${job.id}\` ${stateLabel(job)} · *${prompt}* · ${describeSettings(job.request)} · ${created}${linkTo(job)}`;
}

/** `/jobs`: the user's latest jobs, waiting ones with their place in the queue, within 2,000 characters. */
export function listJobs(jobs: readonly Job[]): string {
  if (jobs.length === 0)
    return "You have no videos yet. Try `/video prompt: a fox running through snow`.";
  const pending = jobs.filter(isPending);
  const header = `**Your videos** (${pending.length} pending; cancel with \`/cancel\`)`;
  const lines = [header];
  let length = characterLength(header);
  for (const [index, job] of jobs.entries()) {
    const next = line(job);
    const rest = jobs.length - index - 1;
    const room = discordLimits.content - (rest > 0 ? 40 : 0);
    if (length + 1 + characterLength(next) > room) {
      lines.push(`…and ${jobs.length - index} more`);
      break;
    }
    lines.push(next);
    length += 1 + characterLength(next);
  }
  return fitContent(lines.join("\n"));
}

/** `/jobs` with the posters of recent results: one embed per poster (its thumbnail attached). */
export function jobsReply(jobs: readonly Job[], posters: readonly GalleryItem[]) {
  return {
    content: listJobs(jobs),
    embeds: posters.map(({ job, fileName }) => ({
      description: `\`${job.id}\` · *${literalPrompt(boundedExcerpt(job.request.prompt, 80))}*${linkTo(job)}`,
      thumbnail: { url: `attachment://${fileName}` },
    })),
    files: posters.map(({ poster, fileName }) => ({ path: poster.path, name: fileName })),
  };
}
