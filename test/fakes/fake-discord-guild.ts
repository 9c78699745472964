import { type APIChannel, ChannelType, type GuildPremiumTier } from "discord.js";

export interface GuildIds {
  guildId: string;
  channelId: string;
  threadId: string;
  /** Threads opened during the test. */
  moreThreadIds: readonly string[];
}

/** A public thread under the fake's text channel. */
export function threadChannel(ids: GuildIds, threadId: string): APIChannel {
  return {
    id: threadId,
    type: ChannelType.PublicThread,
    guild_id: ids.guildId,
    parent_id: ids.channelId,
    name: `thread ${threadId}`,
    owner_id: "1",
    thread_metadata: {
      archived: false,
      auto_archive_duration: 1440,
      archive_timestamp: new Date().toISOString(),
      locked: false,
    },
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    total_message_sent: 0,
  } as APIChannel;
}

/** The fake's one text channel and the public threads under it. */
export function guildChannels(ids: GuildIds): APIChannel[] {
  const text = {
    id: ids.channelId,
    type: ChannelType.GuildText,
    guild_id: ids.guildId,
    name: "videos",
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
  const threads = [ids.threadId, ...ids.moreThreadIds].map((id) => threadChannel(ids, id));
  return [text as APIChannel, ...threads];
}

/** A GUILD_CREATE payload with just what discord.js needs to cache the guild and its channels. */
export function guildCreate(ids: GuildIds, premiumTier: GuildPremiumTier): Record<string, unknown> {
  const channels = guildChannels(ids);
  return {
    id: ids.guildId,
    name: "Fake guild",
    unavailable: false,
    owner_id: "1",
    joined_at: new Date().toISOString(),
    member_count: 2,
    premium_tier: premiumTier,
    roles: [
      {
        id: ids.guildId,
        name: "@everyone",
        permissions: "0",
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
        icon: null,
        unicode_emoji: null,
      },
    ],
    channels: channels.filter((channel) => channel.type === ChannelType.GuildText),
    threads: channels.filter((channel) => channel.type === ChannelType.PublicThread),
    members: [],
    emojis: [],
    stickers: [],
  };
}
