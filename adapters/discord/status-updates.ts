import { createHash } from "node:crypto";
import { type APIMessage, MessageFlags, Routes } from "discord.js";
import { destinationsOf } from "../../src/chat/job-destinations.ts";
import type { Job } from "../../src/jobs/job.ts";
import {
  type AdapterContext,
  interactionTokenLifetimeMs,
  progressEditIntervalMs,
} from "./adapter-context.ts";
import { isUnknownMessage, toPlatformError } from "./discord-errors.ts";
import { renderStatusCard } from "./status-card.ts";
import { askingMessageIdOf, deliveryChannelOf, interactionIdOf } from "./to-request.ts";

/**
 * Creates or edits the job's status card and returns its message id. While the interaction token
 * lives (14 minutes, a minute short of Discord's 15) the card is the interaction's original response,
 * edited through the webhook; after that, or after a restart, it is edited as a channel message with
 * the bot token. A card that cannot be edited is posted again. A private job's card is ephemeral:
 * once its token is gone it stays as it was (the video still comes in a direct message).
 */
export async function showStatus(context: AdapterContext, job: Job): Promise<string | undefined> {
  const last = context.memory.lastCard(job.id);
  const recent = last && context.now() - last.at < progressEditIntervalMs;
  if (last && recent && last.state === job.state && job.state === "running") return last.messageId;
  const body = renderStatusCard(job, context.now());
  const shown = createHash("sha1").update(JSON.stringify(body)).digest("base64url");
  // The same card already on the same message: an edit would change nothing a user sees.
  const sameMessage = last && (job.statusMessageId ?? last.messageId) === last.messageId;
  if (last && sameMessage && last.shown === shown) return last.messageId;
  const messageId = await updateCard(context, job, body);
  if (messageId) context.memory.rememberCard(job.id, job.state, messageId, shown);
  return messageId;
}

async function updateCard(
  context: AdapterContext,
  job: Job,
  body: ReturnType<typeof renderStatusCard>,
): Promise<string | undefined> {
  const { client, logger, now } = context;
  const onlyRequester = destinationsOf(job.origin).card === "requester";
  const remembered = await context.tokens.recall(interactionIdOf(job.origin));
  if (remembered && now() - remembered.createdAt < interactionTokenLifetimeMs) {
    try {
      // The first take's card is the interaction's response; each further take has a follow-up of its own.
      if (isLaterTake(job))
        return await followUpCard(context, job, remembered, body, onlyRequester);
      const route = Routes.webhookMessage(remembered.applicationId, remembered.token, "@original");
      const message = (await client.rest.patch(route, { body, auth: false })) as APIMessage;
      return message.id;
    } catch (error) {
      // Tokens sometimes fail early (401/404); the channel message is still ours to edit. Server
      // trouble is no refused token: without the card's id, a new card would strand the first.
      const failure = toPlatformError(error, "update the status card");
      if (failure.retryable && (!job.statusMessageId || onlyRequester)) throw failure;
      logger.warn({ err: error, jobId: job.id }, "interaction edit failed; using the channel");
    }
  }
  // An ephemeral card lives only through the interaction's token; it is never put in the channel.
  if (onlyRequester) return job.statusMessageId;
  const channelId = deliveryChannelOf(job.origin);
  if (job.statusMessageId) {
    try {
      await client.rest.patch(Routes.channelMessage(channelId, job.statusMessageId), { body });
      return job.statusMessageId;
    } catch (error) {
      if (!isUnknownMessage(error)) throw toPlatformError(error, "update the status card");
    }
  }
  const replyTo = askingMessageIdOf(job.origin);
  try {
    const message = (await client.rest.post(Routes.channelMessages(channelId), {
      body: {
        ...body,
        allowed_mentions: { parse: [] },
        ...(replyTo
          ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } }
          : {}),
      },
    })) as APIMessage;
    return message.id;
  } catch (error) {
    throw toPlatformError(error, "post the status card");
  }
}

/** Take 2 or later of several (`--takes`): its card is not the interaction's response. */
function isLaterTake(job: Job): boolean {
  return job.take !== undefined && job.take.index > 1;
}

/**
 * A later take's card: a follow-up message of the interaction (ephemeral for a private job), posted once
 * and then edited by its id through the same token.
 */
async function followUpCard(
  context: AdapterContext,
  job: Job,
  remembered: { applicationId: string; token: string },
  body: ReturnType<typeof renderStatusCard>,
  onlyRequester: boolean,
): Promise<string> {
  const { client } = context;
  const { applicationId, token } = remembered;
  if (job.statusMessageId) {
    const route = Routes.webhookMessage(applicationId, token, job.statusMessageId);
    const message = (await client.rest.patch(route, { body, auth: false })) as APIMessage;
    return message.id;
  }
  const message = (await client.rest.post(Routes.webhook(applicationId, token), {
    body: {
      ...body,
      allowed_mentions: { parse: [] },
      ...(onlyRequester ? { flags: MessageFlags.Ephemeral } : {}),
    },
    auth: false,
  })) as APIMessage;
  return message.id;
}
