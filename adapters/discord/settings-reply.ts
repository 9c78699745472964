import type { APIChatInputApplicationCommandInteraction } from "discord.js";
import { settingsText } from "../../src/chat/settings-summary.ts";
import type { SpaceSettingsPatch } from "../../src/settings/space-settings-service.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { managesServer, userOf } from "./interaction-payload.ts";
import { platform } from "./to-request.ts";

const bold = (text: string) => `**${text}**`;

/** `/settings`: the server's settings for anyone who can run it; changes for Manage Server only. */
export async function settingsReply(
  context: AdapterContext,
  interaction: APIChatInputApplicationCommandInteraction,
  patch: SpaceSettingsPatch,
): Promise<string> {
  const spaceId = interaction.guild_id;
  if (!spaceId) return "/settings belongs to a server: run it in one of the server's channels.";
  const space = { platform, spaceId };
  if (Object.keys(patch).length === 0) {
    return settingsText(await context.service.spaceSettings(space), "server", bold);
  }
  if (!managesServer(interaction)) {
    return "Only members with the Manage Server permission can change this server's settings; /settings shows them.";
  }
  const user = userOf(interaction);
  const view = await context.service.updateSpaceSettings(space, patch, {
    userId: user.id,
    userName: user.username,
    isAdmin: true,
  });
  return `Saved.\n${settingsText(view, "server", bold)}`;
}
