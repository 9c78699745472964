import {
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  type ModalSubmitInteraction,
} from "discord.js";
import { UserFacingError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { fitContent } from "./message-limits.ts";

export type RepliableInteraction =
  | ChatInputCommandInteraction
  | ButtonInteraction
  | ModalSubmitInteraction
  | MessageContextMenuCommandInteraction;

const somethingWentWrong =
  "Something went wrong on our side and nothing was charged; please try again in a moment.";

/** Keeps the token so the status card can be edited through it for the next 14 minutes. */
export function rememberInteraction(context: AdapterContext, interaction: BaseInteraction): void {
  context.memory.rememberInteraction(interaction.id, {
    token: interaction.token,
    applicationId: interaction.applicationId,
    createdAt: interaction.createdTimestamp,
    ...(interaction.attachmentSizeLimit
      ? { attachmentSizeLimit: interaction.attachmentSizeLimit }
      : {}),
  });
}

/**
 * Tells only the user what went wrong. A public "thinking…" placeholder is removed first, so a
 * mistake never shows in the channel; unexpected errors are logged and answered in general terms.
 */
export async function replyWithError(
  interaction: RepliableInteraction,
  error: unknown,
  logger: Logger,
): Promise<void> {
  // A refusal may quote what the user wrote; Discord refuses content over 2,000 characters.
  const content = fitContent(error instanceof UserFacingError ? error.message : somethingWentWrong);
  if (!(error instanceof UserFacingError)) logger.error({ err: error }, "interaction failed");
  try {
    if (!interaction.deferred && !interaction.replied) {
      await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      return;
    }
    if (!interaction.ephemeral) {
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
      return;
    }
    await interaction.editReply({ content, embeds: [], components: [] });
  } catch (replyError) {
    logger.warn({ err: replyError }, "could not tell the user about an error");
  }
}
