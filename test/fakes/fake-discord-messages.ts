import {
  type APIAttachment,
  type APIMessage,
  InteractionResponseType,
  MessageFlags,
  MessageType,
} from "discord.js";
import type { FakeDiscord, RecordedFile } from "./fake-discord.ts";

export type Body = Record<string, unknown>;

/** A message the bot posts, as Discord stores it; uploaded files become CDN attachments. */
export function createMessage(
  fake: FakeDiscord,
  channelId: string,
  body: Body,
  files: RecordedFile[],
  extra: Partial<APIMessage> = {},
): APIMessage {
  const attachments: APIAttachment[] = files.map((file) =>
    fake.attachment(file.name, file.bytes, file.contentType),
  );
  const reference = body.message_reference as { message_id?: string } | undefined;
  const message: APIMessage = {
    id: fake.snowflake(),
    channel_id: channelId,
    author: fake.botUser,
    content: (body.content as string | undefined) ?? "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments,
    embeds: (body.embeds as APIMessage["embeds"] | undefined) ?? [],
    components: (body.components as APIMessage["components"] | undefined) ?? [],
    pinned: false,
    type: reference?.message_id ? MessageType.Reply : MessageType.Default,
    flags: (body.flags as number | undefined) ?? 0,
    ...(reference?.message_id
      ? { message_reference: { message_id: reference.message_id, channel_id: channelId } }
      : {}),
    ...extra,
  };
  fake.keep(message);
  return message;
}

/**
 * `GET /channels/:id/messages`: newest first, at most `limit` (default 50, up to 100); with `after`,
 * the oldest ones after it, with `before`, the newest ones before it, as Discord pages them.
 */
export function listMessages(
  fake: FakeDiscord,
  channelId: string,
  query: URLSearchParams,
): APIMessage[] {
  const limit = Math.min(Number(query.get("limit") ?? 50), 100);
  const after = query.get("after");
  const before = query.get("before");
  const inChannel = [...fake.messages.values()]
    .filter(
      (message) =>
        message.channel_id === channelId &&
        (after === null || BigInt(message.id) > BigInt(after)) &&
        (before === null || BigInt(message.id) < BigInt(before)),
    )
    .sort((first, second) => (BigInt(first.id) < BigInt(second.id) ? -1 : 1));
  const page = after === null ? inChannel.slice(-limit) : inChannel.slice(0, limit);
  return page.reverse();
}

export function editMessage(
  fake: FakeDiscord,
  message: APIMessage,
  body: Body,
  files: RecordedFile[],
): APIMessage {
  const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  for (const key of ["content", "embeds", "components", "flags"] as const) {
    if (key in body) Object.assign(edited, { [key]: body[key] });
  }
  if (body.flags === undefined && message.flags) {
    edited.flags = message.flags & ~MessageFlags.Loading;
  }
  if (files.length > 0) {
    edited.attachments = [
      ...edited.attachments,
      ...files.map((file) => fake.attachment(file.name, file.bytes, file.contentType)),
    ];
  }
  fake.keep(edited);
  return edited;
}

/** Applies an interaction response: the original message appears (reply, defer) or changes (update). */
export function interactionCallback(
  fake: FakeDiscord,
  id: string,
  token: string,
  body: Body,
  files: RecordedFile[],
): boolean {
  const interaction = fake.interactions.get(token);
  if (!interaction || interaction.id !== id) return false;
  interaction.acknowledged = true;
  const data = (body.data ?? {}) as Body;
  const extra = { webhook_id: fake.applicationId, application_id: fake.applicationId };
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource:
      interaction.originalMessageId = createMessage(
        fake,
        interaction.channelId,
        data,
        files,
        extra,
      ).id;
      break;
    case InteractionResponseType.DeferredChannelMessageWithSource: {
      const flags = ((data.flags as number | undefined) ?? 0) | MessageFlags.Loading;
      interaction.originalMessageId = createMessage(
        fake,
        interaction.channelId,
        { flags },
        [],
        extra,
      ).id;
      break;
    }
    case InteractionResponseType.DeferredMessageUpdate:
      if (interaction.sourceMessageId) interaction.originalMessageId = interaction.sourceMessageId;
      break;
    case InteractionResponseType.UpdateMessage: {
      const source = interaction.sourceMessageId
        ? fake.messages.get(interaction.sourceMessageId)
        : undefined;
      if (source) interaction.originalMessageId = editMessage(fake, source, data, files).id;
      break;
    }
    default:
      break;
  }
  return true;
}
