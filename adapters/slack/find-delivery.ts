import type { Job } from "../../src/jobs/job.ts";
import { placeOf } from "./delivery.ts";
import { jobIdInMessage } from "./job-actions.ts";
import { identityOf, type SlackContext } from "./slack-context.ts";
import { toPlatformError } from "./slack-errors.ts";
import { isOwnMessage } from "./slack-messages.ts";
import { messagesFrom, type SlackMessage } from "./slack-payloads.ts";

const pageSize = 200;
const maxPages = 5;

/** Who the bot is, for deliveries resumed at start-up before `start()` asked `auth.test`. */
export async function ensureIdentity(context: SlackContext): Promise<void> {
  const { identity, client } = context;
  if (identity.botUserId || identity.botId) return;
  Object.assign(identity, identityOf(await client.auth.test()));
}

/** The thread's messages (pages of 200, at most five), or the channel's latest without a thread. */
export async function messagesWhereDelivered(
  context: SlackContext,
  channel: string,
  threadTs: string | undefined,
): Promise<SlackMessage[]> {
  const { client } = context;
  if (!threadTs) {
    const history = await client.conversations.history({ channel, limit: pageSize });
    return messagesFrom(history.messages);
  }
  const messages: SlackMessage[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const answer = await client.conversations.replies({
      channel,
      ts: threadTs,
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
    });
    messages.push(...messagesFrom(answer.messages));
    cursor = answer.response_metadata?.next_cursor;
    if (!answer.has_more || !cursor) break;
  }
  return messages;
}

/**
 * True when the job's result is already where `deliver` posts it: a message of the bot's, other
 * than the job's card, that names the job (the shared file's comment and the link message both end
 * with the job's footer; the card is the only other message that does).
 */
export async function findDelivery(context: SlackContext, job: Job): Promise<boolean> {
  try {
    await ensureIdentity(context);
    const place = await placeOf(context, job);
    const messages = await messagesWhereDelivered(context, place.channel, place.threadTs);
    return messages.some(
      (message) =>
        message.ts !== job.statusMessageId &&
        !isCard(message) &&
        isOwnMessage(context, message) &&
        jobIdInMessage(message) === job.id,
    );
  } catch (error) {
    throw toPlatformError(error, "read the thread");
  }
}

/** A status card, even one posted again after the first was deleted. */
export function isCard(message: SlackMessage): boolean {
  return (message.blocks ?? []).some((block) => block.block_id === "job_status");
}
