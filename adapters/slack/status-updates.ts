import { destinationsOf } from "../../src/chat/job-destinations.ts";
import { finalStates, type Job } from "../../src/jobs/job.ts";
import { findOrphanCard } from "./find-card.ts";
import type { SlackContext } from "./slack-context.ts";
import { slackErrorCode, toPlatformError } from "./slack-errors.ts";
import { progressEditIntervalMs } from "./slack-memory.ts";
import { renderStatusCard } from "./status-card.ts";

/**
 * Posts the job's status card in its thread (or channel, for a slash command) the first time, then
 * edits that same message with `chat.update`; returns its `ts`, which the service keeps as the
 * card id. Progress-only edits are thinned out; a card that was deleted is posted again.
 */
export async function showStatus(context: SlackContext, job: Job): Promise<string | undefined> {
  const { client, memory, now } = context;
  const last = memory.lastCard(job.id);
  const recent = last && now() - last.at < progressEditIntervalMs;
  if (last && recent && last.state === job.state && job.state === "running") return last.messageId;
  const card = renderStatusCard(job, now());
  if (destinationsOf(job.origin).card === "requester") return showPrivately(context, job, card);
  const channel = job.origin.channelId;
  const known = job.statusMessageId ?? (last ? undefined : await findOrphanCard(context, job));
  if (known) {
    try {
      await client.chat.update({ channel, ts: known, ...card });
      memory.rememberCard(job.id, job.state, known);
      return known;
    } catch (error) {
      if (slackErrorCode(error) !== "message_not_found") {
        throw toPlatformError(error, "update the status card");
      }
    }
  }
  try {
    const posted = await client.chat.postMessage({
      channel,
      ...(job.origin.threadId ? { thread_ts: job.origin.threadId } : {}),
      ...card,
      unfurl_links: false,
      unfurl_media: false,
    });
    if (posted.ts) memory.rememberCard(job.id, job.state, posted.ts);
    return posted.ts;
  } catch (error) {
    throw toPlatformError(error, "post the status card");
  }
}

/**
 * A private job's card: an ephemeral message to the requester, which Slack cannot edit, so one
 * is posted when the job is taken and one when its story is over, and nothing in between.
 */
async function showPrivately(
  context: SlackContext,
  job: Job,
  card: ReturnType<typeof renderStatusCard>,
): Promise<string | undefined> {
  const { client, memory } = context;
  const last = memory.lastCard(job.id);
  const shown = last?.messageId ?? job.statusMessageId;
  const ending = finalStates.includes(job.state) && last?.state !== job.state;
  if (shown && !ending) return shown;
  try {
    const posted = await client.chat.postEphemeral({
      channel: job.origin.channelId,
      user: job.origin.userId,
      ...(job.origin.threadId ? { thread_ts: job.origin.threadId } : {}),
      ...card,
    });
    const messageId = posted.message_ts ?? shown;
    if (messageId) memory.rememberCard(job.id, job.state, messageId);
    return messageId;
  } catch (error) {
    throw toPlatformError(error, "show the private status card");
  }
}
