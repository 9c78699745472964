import type { APIChatInputApplicationCommandInteraction } from "discord.js";
import type { UsageScope } from "../../commands/index.ts";
import { adminsOnly, noSpaceHere, usageText, usageView } from "../../src/chat/usage-summary.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { managesServer, userOf } from "./interaction-payload.ts";
import { platform } from "./to-request.ts";

/** `/usage`: the user's own spend today, or (for server managers) the whole server's. */
export async function usageReply(
  context: AdapterContext,
  interaction: APIChatInputApplicationCommandInteraction,
  scope: UsageScope,
): Promise<string> {
  const spaceId = interaction.guild_id;
  if (scope === "server") {
    if (!spaceId) return noSpaceHere("server");
    // Server managers (Manage Server) may see the whole server's usage.
    if (!managesServer(interaction)) {
      return adminsOnly("server", "members with the Manage Server permission");
    }
  }
  const view = await usageView(
    context.service,
    {
      platform,
      userId: userOf(interaction).id,
      spaceId,
      scope: scope === "server" ? "space" : "user",
      spaceName: "server",
    },
    context.now(),
  );
  return usageText(view, (text) => `**${text}**`);
}
