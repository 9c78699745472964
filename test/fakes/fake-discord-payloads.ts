import {
  type APIAttachment,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionType,
  MessageType,
} from "discord.js";
import type { FakeDiscord } from "./fake-discord.ts";
import type { GuildIds } from "./fake-discord-guild.ts";
import { postInteraction } from "./fake-discord-http.ts";

export function fakeUser(id: string, username: string): APIUser {
  return { id, username, discriminator: "0", global_name: username, avatar: null };
}

function member(user: APIUser): APIInteractionGuildMember {
  return {
    user,
    roles: [],
    joined_at: new Date().toISOString(),
    permissions: "2248473465835073",
    deaf: false,
    mute: false,
    flags: 0,
  } as unknown as APIInteractionGuildMember;
}

export interface Place {
  /** The fake's thread instead of its text channel. */
  inThread?: boolean;
  /** A thread opened with `fake.createThread()`. */
  threadId?: string;
  /** Another of `fake.shardGuilds` (its text channel or thread) instead of the fake's own guild. */
  guild?: GuildIds;
}

function where(fake: FakeDiscord, place: Place) {
  const guild = place.guild ?? fake;
  const thread = place.threadId ?? (place.inThread ? guild.threadId : undefined);
  const id = thread ?? guild.channelId;
  const channel = thread
    ? { id, type: ChannelType.PublicThread, parent_id: guild.channelId, guild_id: guild.guildId }
    : { id, type: ChannelType.GuildText, guild_id: guild.guildId };
  return { channel_id: id, channel, guild_id: guild.guildId };
}

/** The guild of one of the fake's channels or threads. */
function guildOfChannel(fake: FakeDiscord, channelId: string): string {
  const channel = fake.channels().find((candidate) => candidate.id === channelId);
  return (channel && "guild_id" in channel && channel.guild_id) || fake.guildId;
}

export type OptionValue = string | number | boolean | APIAttachment;

interface InteractionInput extends Place {
  user: APIUser;
  attachmentSizeLimit?: number;
  /** Interaction age, for token-expiry tests. */
  createdAt?: number;
}

/** Dispatches INTERACTION_CREATE and registers its token with the fake; returns id and token. */
function interact(
  fake: FakeDiscord,
  input: InteractionInput,
  body: Record<string, unknown>,
  sourceMessageId?: string,
) {
  const id = fake.snowflake(input.createdAt);
  const token = `token-${id}`;
  const place = where(fake, input);
  fake.interactions.set(token, {
    id,
    token,
    channelId: place.channel_id,
    guildId: place.guild_id,
    ...(sourceMessageId ? { sourceMessageId } : {}),
  });
  const payload = {
    id,
    application_id: fake.applicationId,
    token,
    version: 1,
    ...place,
    member: member(input.user),
    app_permissions: "2248473465835073",
    locale: "en-US",
    guild_locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: { 0: place.guild_id },
    context: 0,
    attachment_size_limit: input.attachmentSizeLimit ?? 10 * 1024 * 1024,
    ...body,
  };
  if (fake.interactionsEndpoint) {
    const sent = postInteraction(fake, payload);
    sent.catch(() => undefined);
    return { id, token, sent };
  }
  fake.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
  return { id, token, sent: Promise.resolve() };
}

/** A slash command; attachment values are resolved the way Discord sends them. */
export function slashCommand(
  fake: FakeDiscord,
  name: string,
  options: Record<string, OptionValue>,
  input: InteractionInput,
) {
  const attachments: Record<string, APIAttachment> = {};
  const data = Object.entries(options).map(([optionName, value]) => {
    if (typeof value === "object") {
      attachments[value.id] = value;
      return { name: optionName, type: ApplicationCommandOptionType.Attachment, value: value.id };
    }
    const type =
      typeof value === "boolean"
        ? ApplicationCommandOptionType.Boolean
        : typeof value === "number"
          ? ApplicationCommandOptionType.Integer
          : ApplicationCommandOptionType.String;
    return { name: optionName, type, value };
  });
  return interact(fake, input, {
    type: InteractionType.ApplicationCommand,
    data: {
      id: fake.snowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: data,
      ...(Object.keys(attachments).length > 0 ? { resolved: { attachments } } : {}),
    },
  });
}

export function autocomplete(
  fake: FakeDiscord,
  name: string,
  option: string,
  typed: string,
  input: InteractionInput,
) {
  return interact(fake, input, {
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: fake.snowflake(),
      name,
      type: ApplicationCommandType.ChatInput,
      options: [
        { name: option, type: ApplicationCommandOptionType.String, value: typed, focused: true },
      ],
    },
  });
}

export function messageMenu(
  fake: FakeDiscord,
  name: string,
  target: APIMessage,
  input: InteractionInput,
) {
  return interact(fake, input, {
    type: InteractionType.ApplicationCommand,
    data: {
      id: fake.snowflake(),
      name,
      type: ApplicationCommandType.Message,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    },
  });
}

export function buttonClick(
  fake: FakeDiscord,
  customId: string,
  message: APIMessage,
  input: InteractionInput,
) {
  return interact(
    fake,
    input,
    {
      type: InteractionType.MessageComponent,
      message,
      data: { custom_id: customId, component_type: ComponentType.Button },
    },
    message.id,
  );
}

export function modalSubmit(
  fake: FakeDiscord,
  customId: string,
  fields: Record<string, string>,
  input: InteractionInput,
) {
  return interact(fake, input, {
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([id, value], index) => ({
        type: ComponentType.Label,
        id: index + 1,
        component: { type: ComponentType.TextInput, id: index + 10, custom_id: id, value },
      })),
    },
  });
}

export interface UserMessageInput extends Place {
  author: APIUser;
  content: string;
  attachments?: APIAttachment[];
  mentionsBot?: boolean;
  replyTo?: APIMessage;
}

/** A user's message: stored in the fake (so it can be fetched) and dispatched as MESSAGE_CREATE. */
export function userMessage(fake: FakeDiscord, input: UserMessageInput): APIMessage {
  const place = where(fake, input);
  const mentions = [
    ...(input.mentionsBot ? [fake.botUser] : []),
    ...(input.replyTo && input.replyTo.author.id === fake.botUser.id && !input.mentionsBot
      ? [fake.botUser]
      : []),
  ];
  const message: APIMessage = {
    id: fake.snowflake(),
    channel_id: place.channel_id,
    author: input.author,
    content: input.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions,
    mention_roles: [],
    attachments: input.attachments ?? [],
    embeds: [],
    components: [],
    pinned: false,
    type: input.replyTo ? MessageType.Reply : MessageType.Default,
    ...(input.replyTo
      ? {
          message_reference: {
            message_id: input.replyTo.id,
            channel_id: input.replyTo.channel_id,
            guild_id: place.guild_id,
          },
        }
      : {}),
  };
  fake.keep(message);
  fake.dispatch(GatewayDispatchEvents.MessageCreate, {
    ...message,
    guild_id: place.guild_id,
    member: { roles: [], joined_at: message.timestamp, deaf: false, mute: false, flags: 0 },
  });
  return message;
}

/** A reaction on any message; the client has not seen the message, as after a restart. */
export function reactionAdd(
  fake: FakeDiscord,
  message: APIMessage,
  emoji: string,
  user: APIUser,
): void {
  fake.dispatch(GatewayDispatchEvents.MessageReactionAdd, {
    user_id: user.id,
    channel_id: message.channel_id,
    message_id: message.id,
    guild_id: guildOfChannel(fake, message.channel_id),
    member: member(user),
    emoji: { id: null, name: emoji },
    burst: false,
    type: 0,
  });
}

/** A direct message to the bot in a DM channel the client has never seen (a partial channel). */
export function directMessage(
  fake: FakeDiscord,
  input: { author: APIUser; content: string; attachments?: APIAttachment[] },
): APIMessage {
  const message: APIMessage = {
    id: fake.snowflake(),
    channel_id: fake.snowflake(),
    author: input.author,
    content: input.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: input.attachments ?? [],
    embeds: [],
    components: [],
    pinned: false,
    type: MessageType.Default,
  };
  fake.keep(message);
  // Discord marks DM messages with their channel type; discord.js builds the DM channel from it.
  fake.dispatch(GatewayDispatchEvents.MessageCreate, { ...message, channel_type: ChannelType.DM });
  return message;
}
