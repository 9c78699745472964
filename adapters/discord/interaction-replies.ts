import type { APIInteraction } from "discord.js";
import { UserFacingError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { createdAtOf } from "./interaction-payload.ts";
import type { InteractionResponder } from "./interaction-responder.ts";
import { fitContent } from "./message-limits.ts";

const somethingWentWrong =
  "Something went wrong on our side and nothing was charged; please try again in a moment.";

/**
 * Keeps the token (shared among instances) so the status card can be edited through it for the
 * next 14 minutes, by whichever instance runs the job.
 */
export async function rememberInteraction(
  context: AdapterContext,
  interaction: APIInteraction,
): Promise<void> {
  const limit = "attachment_size_limit" in interaction ? interaction.attachment_size_limit : 0;
  await context.tokens.remember(interaction.id, {
    token: interaction.token,
    applicationId: interaction.application_id,
    createdAt: createdAtOf(interaction),
    ...(limit ? { attachmentSizeLimit: limit } : {}),
  });
}

/**
 * Tells only the user what went wrong. A public "thinking…" placeholder is removed first, so a
 * mistake never shows in the channel; unexpected errors are logged and answered in general terms.
 */
export async function replyWithError(
  responder: InteractionResponder,
  error: unknown,
  logger: Logger,
): Promise<void> {
  // A refusal may quote what the user wrote; Discord refuses content over 2,000 characters.
  const content = fitContent(error instanceof UserFacingError ? error.message : somethingWentWrong);
  if (!(error instanceof UserFacingError)) logger.error({ err: error }, "interaction failed");
  try {
    if (!responder.answered) {
      await responder.reply({ content, ephemeral: true });
      return;
    }
    if (!responder.ephemeral) {
      await responder.deleteReply().catch(() => undefined);
      await responder.followUp({ content, ephemeral: true });
      return;
    }
    await responder.editReply({ content, embeds: [], components: [] });
  } catch (replyError) {
    logger.warn({ err: replyError }, "could not tell the user about an error");
  }
}
