import { type ChatInputCommandInteraction, PermissionFlagsBits } from "discord.js";
import type { UsageScope } from "../../commands/index.ts";
import { adminsOnly, noSpaceHere, usageText, usageView } from "../../src/chat/usage-summary.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { platform } from "./to-request.ts";

/** Server managers (Manage Server) may see the whole server's usage. */
export function managesServer(interaction: ChatInputCommandInteraction): boolean {
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/** `/usage`: the user's own spend today, or (for server managers) the whole server's. */
export async function usageReply(
  context: AdapterContext,
  interaction: ChatInputCommandInteraction,
  scope: UsageScope,
): Promise<string> {
  const spaceId = interaction.guildId ?? undefined;
  if (scope === "server") {
    if (!spaceId) return noSpaceHere("server");
    if (!managesServer(interaction)) {
      return adminsOnly("server", "members with the Manage Server permission");
    }
  }
  const view = await usageView(
    context.service,
    {
      platform,
      userId: interaction.user.id,
      spaceId,
      scope: scope === "server" ? "space" : "user",
      spaceName: "server",
    },
    context.now(),
  );
  return usageText(view, (text) => `**${text}**`);
}
