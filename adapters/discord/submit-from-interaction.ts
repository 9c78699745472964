import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import type { AdapterContext } from "./adapter-context.ts";
import {
  type RepliableInteraction,
  rememberInteraction,
  replyWithError,
} from "./interaction-replies.ts";
import { originFromInteraction } from "./to-request.ts";

/**
 * Defers publicly (before any I/O), then submits. The service shows the status card through
 * `showStatus`, which turns the "thinking…" placeholder into the card via the remembered token.
 */
export async function submitFromInteraction(
  context: AdapterContext,
  interaction: RepliableInteraction,
  request: GenerationRequestInput | (() => Promise<GenerationRequestInput>),
  parentJobId?: string,
): Promise<void> {
  await interaction.deferReply();
  rememberInteraction(context, interaction);
  try {
    const input = typeof request === "function" ? await request() : request;
    await context.service.submit(input, originFromInteraction(interaction), {
      idempotencyKey: interaction.id,
      ...(parentJobId ? { parentJobId } : {}),
    });
  } catch (error) {
    await replyWithError(interaction, error, context.logger);
  }
}
