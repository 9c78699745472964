import type { IncomingMedia } from "../../commands/incoming-media.ts";
import { jobIdInMessage } from "./job-actions.ts";
import type { SlackContext } from "./slack-context.ts";
import {
  mediaFromSlackFile,
  messagesFrom,
  type SlackFile,
  type SlackMessage,
  slackFileSchema,
} from "./slack-payloads.ts";

/**
 * One message by channel and ts, wherever it is: a thread reply is found through
 * `conversations.replies`, a channel message through `conversations.history`.
 */
export async function fetchMessage(
  context: SlackContext,
  channel: string,
  ts: string,
): Promise<SlackMessage | undefined> {
  const { client } = context;
  const range = { channel, latest: ts, oldest: ts, inclusive: true };
  const replies = await client.conversations
    .replies({ ...range, ts, limit: 10 })
    .catch(() => undefined);
  const found = messagesFrom(replies?.messages).find((message) => message.ts === ts);
  if (found) return found;
  const history = await client.conversations.history({ ...range, limit: 1 });
  return messagesFrom(history.messages).find((message) => message.ts === ts);
}

/** The thread's parent and its replies, oldest first. */
export async function fetchThread(
  context: SlackContext,
  channel: string,
  threadTs: string,
): Promise<SlackMessage[]> {
  const answer = await context.client.conversations.replies({ channel, ts: threadTs, limit: 200 });
  return messagesFrom(answer.messages);
}

/** Whether this app posted the message. */
export function isOwnMessage(context: SlackContext, message: SlackMessage): boolean {
  const { botUserId, botId } = context.identity;
  return (
    (botUserId !== undefined && message.user === botUserId) ||
    (botId !== undefined && message.bot_id === botId)
  );
}

/** The job one of the bot's own messages (status card, result, link) belongs to. */
export function jobIdOfBotMessage(
  context: SlackContext,
  message: SlackMessage,
): string | undefined {
  return isOwnMessage(context, message) ? jobIdInMessage(message) : undefined;
}

/**
 * A message's files as neutral media. Events sometimes carry a stub (`file_access:
 * check_file_info`) without URLs; those are completed with `files.info`.
 */
export async function mediaOfFiles(
  context: SlackContext,
  files: readonly SlackFile[] | undefined,
): Promise<IncomingMedia[]> {
  const complete = await Promise.all(
    (files ?? []).map(async (file) => {
      if (file.url_private || file.url_private_download) return file;
      const info = await context.client.files.info({ file: file.id }).catch(() => undefined);
      const parsed = slackFileSchema.safeParse(info?.file);
      return parsed.success ? parsed.data : file;
    }),
  );
  return complete.flatMap((file) => {
    const media = mediaFromSlackFile(file);
    return media ? [media] : [];
  });
}

/** A user's handle, for cards made on their behalf (reactions carry only the user id). */
export async function userNameOf(
  context: SlackContext,
  userId: string,
): Promise<string | undefined> {
  const known = context.memory.userName(userId);
  if (known) return known;
  const answer = await context.client.users.info({ user: userId }).catch(() => undefined);
  const name = answer?.user?.name;
  if (name) context.memory.rememberUserName(userId, name);
  return name;
}
