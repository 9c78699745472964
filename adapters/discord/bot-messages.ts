import type { Message } from "discord.js";
import { jobIdFrom } from "./job-links.ts";

/** The job one of the bot's own messages (status card or result) belongs to. */
export function jobIdOfBotMessage(message: Message): string | undefined {
  if (message.author?.id !== message.client.user.id) return undefined;
  const customIds = message.components.flatMap((row) =>
    "components" in row
      ? row.components.flatMap((component) =>
          "customId" in component && component.customId ? [component.customId] : [],
        )
      : [],
  );
  const footers = message.embeds.flatMap((embed) =>
    embed.footer?.text ? [embed.footer.text] : [],
  );
  return jobIdFrom({ customIds, footers });
}
