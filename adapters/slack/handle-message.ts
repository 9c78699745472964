import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { mediaKindOf, sortMedia } from "../../commands/incoming-media.ts";
import { type IncomingMessage, parseFlags, routeMessage } from "../../commands/index.ts";
import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import { originOf } from "./origins.ts";
import { submitRequest } from "./perform-action.ts";
import { ephemeralReply, errorText } from "./replies.ts";
import { platform, type SlackContext } from "./slack-context.ts";
import {
  fetchThread,
  isOwnMessage,
  jobIdOfBotMessage,
  mediaOfFiles,
  userNameOf,
} from "./slack-messages.ts";
import { filesFrom } from "./slack-payloads.ts";
import { textWithoutMention } from "./slack-text.ts";

type MentionArguments = SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs;
type MessageArguments = SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs;

/** What a request message carries, whether it mentioned the bot in a channel or came as a DM. */
interface RequestMessage {
  eventId: string;
  teamId: string;
  channel: string;
  user: string;
  userName?: string | undefined;
  text: string;
  ts: string;
  threadTs?: string | undefined;
  files: unknown;
}

/**
 * What the thread adds to a mention inside it: the images of the thread's parent, and the prompt
 * of the bot's latest job in the thread, for a mention that brings only a new image.
 */
async function threadContext(
  context: SlackContext,
  channel: string,
  threadTs: string,
  mentionTs: string,
): Promise<Pick<IncomingMessage, "repliedAttachments" | "fallbackPrompt">> {
  const messages = await fetchThread(context, channel, threadTs);
  const parent = messages.find((message) => message.ts === threadTs);
  const images =
    parent && !isOwnMessage(context, parent)
      ? (await mediaOfFiles(context, parent.files)).filter(
          (media) => mediaKindOf(media) === "image",
        )
      : [];
  const latestJobId = messages
    .filter((message) => Number(message.ts) < Number(mentionTs))
    .map((message) => jobIdOfBotMessage(context, message))
    .findLast((jobId) => jobId !== undefined);
  const job = latestJobId ? await context.service.getJob(latestJobId) : undefined;
  return { repliedAttachments: images, ...(job ? { fallbackPrompt: job.request.prompt } : {}) };
}

/**
 * A mention is a request, routed by what it carries exactly as on Discord. The answer goes to the
 * thread it was made in, or starts one under it. The event id is the job's idempotency key, so a
 * retried delivery never makes a second job.
 */
export async function handleMention(
  context: SlackContext,
  { event, body }: MentionArguments,
): Promise<void> {
  if (event.bot_id || !event.user) return;
  await handleRequestMessage(context, {
    eventId: body.event_id,
    teamId: body.team_id,
    channel: event.channel,
    user: event.user,
    userName: event.user_profile?.name,
    text: event.text,
    ts: event.ts,
    threadTs: event.thread_ts,
    files: event.files,
  });
}

/**
 * A direct message to the bot is a request without the mention: the same routing, answered in a
 * thread under it. Only what a person posts counts: the bot's own cards and results, edits and
 * deletions arrive here too.
 */
export async function handleDirectMessage(
  context: SlackContext,
  { event, body }: MessageArguments,
): Promise<void> {
  if (event.channel_type !== "im") return;
  if (event.subtype !== undefined && event.subtype !== "file_share") return;
  if ("bot_id" in event && event.bot_id) return;
  if (!("user" in event) || !event.user || event.user === context.identity.botUserId) return;
  await handleRequestMessage(context, {
    eventId: body.event_id,
    teamId: body.team_id,
    channel: event.channel,
    user: event.user,
    text: event.text ?? "",
    ts: event.ts,
    threadTs: "thread_ts" in event ? event.thread_ts : undefined,
    files: "files" in event ? event.files : undefined,
  });
}

async function handleRequestMessage(context: SlackContext, message: RequestMessage): Promise<void> {
  // A retry (X-Slack-Retry-Num), here or on another instance, is dropped; only the first is handled.
  if (!(await context.service.isFirstDelivery(platform, `event:${message.eventId}`))) return;
  const threadTs = message.threadTs ?? message.ts;
  const place = {
    teamId: message.teamId,
    channelId: message.channel,
    threadTs,
    messageTs: message.ts,
  };
  const name = message.userName ?? (await userNameOf(context, message.user));
  const user = { id: message.user, name };
  const reply = ephemeralReply(context, { ...place, userId: message.user });
  const text = textWithoutMention(message.text, context.identity.botUserId);
  let request: GenerationRequestInput;
  try {
    // Checked from metadata first: a bad flag or file type is answered before any download.
    const attachments = await mediaOfFiles(context, filesFrom(message.files));
    parseFlags(text);
    sortMedia(attachments);
    const inThread = message.threadTs !== undefined && message.threadTs !== message.ts;
    const around = inThread
      ? await threadContext(context, message.channel, threadTs, message.ts)
      : {};
    request = routeMessage({ text, attachments, ...around });
  } catch (error) {
    await reply(errorText(error, context.logger, "mention"));
    return;
  }
  await submitRequest(context, request, {
    origin: originOf(place, user, context.team),
    idempotencyKey: `event:${message.eventId}`,
    reply,
  });
}
