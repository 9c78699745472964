import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { mediaKindOf, sortMedia } from "../../commands/incoming-media.ts";
import { type IncomingMessage, parseFlags, routeMessage } from "../../commands/index.ts";
import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import { originOf } from "./origins.ts";
import { submitRequest } from "./perform-action.ts";
import { ephemeralReply, errorText } from "./replies.ts";
import type { SlackContext } from "./slack-context.ts";
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
  if (!context.memory.claim(`event:${body.event_id}`)) return;
  const threadTs = event.thread_ts ?? event.ts;
  const place = { teamId: body.team_id, channelId: event.channel, threadTs, messageTs: event.ts };
  const name = event.user_profile?.name ?? (await userNameOf(context, event.user));
  const user = { id: event.user, name };
  const reply = ephemeralReply(context, { ...place, userId: event.user });
  const text = textWithoutMention(event.text, context.identity.botUserId);
  let request: GenerationRequestInput;
  try {
    // Checked from metadata first: a bad flag or file type is answered before any download.
    const attachments = await mediaOfFiles(context, filesFrom(event.files));
    parseFlags(text);
    sortMedia(attachments);
    const inThread = event.thread_ts !== undefined && event.thread_ts !== event.ts;
    const around = inThread ? await threadContext(context, event.channel, threadTs, event.ts) : {};
    request = routeMessage({ text, attachments, ...around });
  } catch (error) {
    await reply(errorText(error, context.logger, "mention"));
    return;
  }
  await submitRequest(context, request, {
    origin: originOf(place, user),
    idempotencyKey: `event:${body.event_id}`,
    reply,
  });
}
