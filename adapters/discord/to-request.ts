import type { Attachment, Collection, Message } from "discord.js";
import type { IncomingMedia } from "../../commands/index.ts";
import type { JobOrigin } from "../../src/jobs/job.ts";
import { cdnExpiry } from "./cdn-links.ts";

export const platform = "discord";

/** Attachment metadata only; the provider fetches the CDN URL itself. */
export function mediaFromAttachment(attachment: Attachment): IncomingMedia {
  const expiresAt = cdnExpiry(attachment.url);
  return {
    url: attachment.url,
    ...(expiresAt ? { expiresAt } : {}),
    sizeBytes: attachment.size,
    fileName: attachment.name,
    ...(attachment.contentType ? { contentType: attachment.contentType } : {}),
    ...(attachment.duration ? { durationSeconds: attachment.duration } : {}),
  };
}

export function mediaFromAttachments(attachments: Collection<string, Attachment>): IncomingMedia[] {
  return [...attachments.values()].map(mediaFromAttachment);
}

/** Where a request was made; threads keep their parent channel as `channelId`. */
function place(channel: Message["channel"], channelId: string) {
  if (channel?.isThread() && channel.parentId) {
    return { channelId: channel.parentId, threadId: channel.id };
  }
  return { channelId };
}

/** Role ids of a guild member, for the operator's allow and deny lists. */
function rolesOf(
  member: { roles: readonly string[] | { cache: ReadonlyMap<string, unknown> } } | null,
): string[] {
  if (!member) return [];
  return "cache" in member.roles ? [...member.roles.cache.keys()] : [...member.roles];
}

export function originFromMessage(message: Message, userId = message.author.id): JobOrigin {
  const roles = message.author.id === userId ? rolesOf(message.member) : [];
  return {
    platform,
    ...(message.guildId ? { spaceId: message.guildId } : {}),
    ...place(message.channel, message.channelId),
    messageId: message.id,
    userId,
    ...(message.author.id === userId ? { userName: message.author.username } : {}),
    ...(roles.length > 0 ? { roles } : {}),
  };
}

/** The interaction id when the job was asked through an interaction (slash command, button, form). */
export function interactionIdOf(origin: JobOrigin): string | undefined {
  return origin.interactionId;
}

/**
 * The chat message that asked, when the job was asked by a message or a reaction. Only a snowflake
 * is a message: jobs stored by older versions kept their interaction in `messageId`, prefixed.
 */
export function askingMessageIdOf(origin: JobOrigin): string | undefined {
  return origin.messageId && /^\d+$/.test(origin.messageId) ? origin.messageId : undefined;
}

export function deliveryChannelOf(origin: JobOrigin): string {
  return origin.threadId ?? origin.channelId;
}

/** The message text without the bot's own mentions. */
export function textWithoutMention(content: string, botId: string): string {
  return content.replaceAll(new RegExp(`<@!?${botId}>`, "g"), " ").trim();
}
