import {
  ApplicationCommandOptionType,
  type Attachment,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  type Collection,
  type Message,
} from "discord.js";
import type { IncomingMedia } from "../../commands/index.ts";
import type { JobOrigin } from "../../src/jobs/job.ts";
import { cdnExpiry } from "./cdn-links.ts";

export const platform = "discord";
const interactionPrefix = "interaction:";

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

/** Raw option values by name; attachments become neutral media. */
export function optionValues(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of interaction.options.data) {
    if (option.type === ApplicationCommandOptionType.Attachment && option.attachment) {
      values[option.name] = mediaFromAttachment(option.attachment);
    } else {
      values[option.name] = option.value;
    }
  }
  return values;
}

/** Where a request was made; threads keep their parent channel as `channelId`. */
function place(channel: Message["channel"] | BaseInteraction["channel"], channelId: string) {
  if (channel?.isThread() && channel.parentId) {
    return { channelId: channel.parentId, threadId: channel.id };
  }
  return { channelId };
}

/** `JobOrigin.messageId` of a job asked through an interaction (its response is the card). */
export function interactionMessageId(interactionId: string): string {
  return `${interactionPrefix}${interactionId}`;
}

/** Role ids of a guild member, for the operator's allow and deny lists. */
function rolesOf(
  member: { roles: readonly string[] | { cache: ReadonlyMap<string, unknown> } } | null,
): string[] {
  if (!member) return [];
  return "cache" in member.roles ? [...member.roles.cache.keys()] : [...member.roles];
}

export function originFromInteraction(interaction: BaseInteraction): JobOrigin {
  const roles = rolesOf(interaction.member);
  return {
    platform,
    ...(interaction.guildId ? { spaceId: interaction.guildId } : {}),
    ...place(interaction.channel, interaction.channelId ?? ""),
    messageId: interactionMessageId(interaction.id),
    userId: interaction.user.id,
    userName: interaction.user.username,
    ...(roles.length > 0 ? { roles } : {}),
  };
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
  return origin.messageId?.startsWith(interactionPrefix)
    ? origin.messageId.slice(interactionPrefix.length)
    : undefined;
}

/** The chat message that asked, when the job was asked by a message or a reaction. */
export function askingMessageIdOf(origin: JobOrigin): string | undefined {
  return origin.messageId && !origin.messageId.startsWith(interactionPrefix)
    ? origin.messageId
    : undefined;
}

export function deliveryChannelOf(origin: JobOrigin): string {
  return origin.threadId ?? origin.channelId;
}

/** The message text without the bot's own mentions. */
export function textWithoutMention(content: string, botId: string): string {
  return content.replaceAll(new RegExp(`<@!?${botId}>`, "g"), " ").trim();
}
