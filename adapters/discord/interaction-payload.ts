import {
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageApplicationCommandInteraction,
  type APIModalSubmitInteraction,
  type APIUser,
  ApplicationCommandOptionType,
  ChannelType,
  ComponentType,
  PermissionFlagsBits,
} from "discord.js";
import type { IncomingMedia } from "../../commands/index.ts";
import type { JobOrigin } from "../../src/jobs/job.ts";
import { cdnExpiry } from "./cdn-links.ts";

// Reading Discord's raw interaction payloads (discord-api-types), as the gateway and HTTP send them.

const discordEpoch = 1_420_070_400_000n;
const threadTypes: ReadonlySet<number> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** Attachment metadata only; the provider fetches the CDN URL itself. */
export function mediaFromApiAttachment(attachment: APIAttachment): IncomingMedia {
  const expiresAt = cdnExpiry(attachment.url);
  return {
    url: attachment.url,
    ...(expiresAt ? { expiresAt } : {}),
    sizeBytes: attachment.size,
    fileName: attachment.filename,
    ...(attachment.content_type ? { contentType: attachment.content_type } : {}),
    ...(attachment.duration_secs ? { durationSeconds: attachment.duration_secs } : {}),
  };
}

/** Who acted: the member's user in a server, the user in a direct message. */
export function userOf(interaction: APIInteraction): APIUser {
  const user = interaction.member?.user ?? interaction.user;
  if (!user) throw new TypeError(`Interaction ${interaction.id} names no user`);
  return user;
}

/** When Discord made the interaction (its id's timestamp part), in ms. */
export function createdAtOf(interaction: { id: string }): number {
  return Number((BigInt(interaction.id) >> 22n) + discordEpoch);
}

export function actorOf(interaction: APIInteraction) {
  const user = userOf(interaction);
  return { platform: "discord", userId: user.id, userName: user.username };
}

/** Where an interaction happened; threads keep their parent channel as `channelId`. */
function placeOf(interaction: APIInteraction) {
  const channel = interaction.channel;
  const channelId = interaction.channel_id ?? channel?.id ?? "";
  const parentId = channel && "parent_id" in channel ? channel.parent_id : undefined;
  if (channel && threadTypes.has(channel.type) && parentId) {
    return { channelId: parentId, threadId: channel.id };
  }
  return { channelId };
}

/** The job's origin: the interaction's response becomes its card. */
export function originFromInteraction(interaction: APIInteraction): JobOrigin {
  const user = userOf(interaction);
  const roles = interaction.member?.roles ?? [];
  return {
    platform: "discord",
    ...(interaction.guild_id ? { spaceId: interaction.guild_id } : {}),
    ...placeOf(interaction),
    interactionId: interaction.id,
    userId: user.id,
    userName: user.username,
    ...(roles.length > 0 ? { roles: [...roles] } : {}),
  };
}

/** Server managers (Manage Server), from the member's permissions in the channel. */
export function managesServer(interaction: APIInteraction): boolean {
  const permissions = interaction.member?.permissions;
  if (!permissions) return false;
  return (
    (BigInt(permissions) & PermissionFlagsBits.ManageGuild) === PermissionFlagsBits.ManageGuild
  );
}

/** The top-level options (this bot's commands have no subcommands). */
function optionsOf(
  interaction:
    | APIChatInputApplicationCommandInteraction
    | APIApplicationCommandAutocompleteInteraction,
): APIApplicationCommandInteractionDataOption[] {
  return interaction.data.options ?? [];
}

/** Raw option values by name; attachments become neutral media. */
export function optionValues(
  interaction: APIChatInputApplicationCommandInteraction,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const attachments = interaction.data.resolved?.attachments ?? {};
  for (const option of optionsOf(interaction)) {
    if (option.type === ApplicationCommandOptionType.Attachment) {
      const attachment = attachments[option.value];
      if (attachment) values[option.name] = mediaFromApiAttachment(attachment);
    } else if ("value" in option) {
      values[option.name] = option.value;
    }
  }
  return values;
}

/** What the user has typed so far in the focused option. */
export function focusedValue(interaction: APIApplicationCommandAutocompleteInteraction): string {
  const focused = optionsOf(interaction).find(
    (option) => "focused" in option && option.focused === true,
  );
  return focused && "value" in focused ? String(focused.value) : "";
}

/** The text boxes of a submitted form by custom id (in labels, or in older action rows). */
export function textFields(interaction: APIModalSubmitInteraction): Map<string, string> {
  const fields = new Map<string, string>();
  for (const top of interaction.data.components) {
    const inner =
      top.type === ComponentType.Label
        ? [top.component]
        : top.type === ComponentType.ActionRow
          ? top.components
          : [];
    for (const component of inner) {
      if (component.type === ComponentType.TextInput)
        fields.set(component.custom_id, component.value);
    }
  }
  return fields;
}

/** The attachments of the message a context-menu command was used on. */
export function targetMedia(interaction: APIMessageApplicationCommandInteraction): IncomingMedia[] {
  const target = interaction.data.resolved.messages[interaction.data.target_id];
  const attachments: APIAttachment[] = target?.attachments ?? [];
  return attachments.map(mediaFromApiAttachment);
}
