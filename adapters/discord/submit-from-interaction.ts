import type { APIInteraction } from "discord.js";
import { destinationsOf } from "../../src/chat/job-destinations.ts";
import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { originFromInteraction } from "./interaction-payload.ts";
import { rememberInteraction, replyWithError } from "./interaction-replies.ts";
import type { InteractionResponder } from "./interaction-responder.ts";

/**
 * Defers (before any I/O), then submits. The service shows the status card through `showStatus`,
 * which turns the "thinking…" placeholder into the card via the remembered token. A private job's
 * placeholder is ephemeral, so its card is seen by the requester only.
 */
export async function submitFromInteraction(
  context: AdapterContext,
  interaction: APIInteraction,
  responder: InteractionResponder,
  request: GenerationRequestInput | (() => Promise<GenerationRequestInput>),
  options: { parentJobId?: string; private?: boolean; takes?: number } = {},
): Promise<void> {
  const { parentJobId } = options;
  const origin = {
    ...originFromInteraction(interaction),
    ...(options.private ? { private: true } : {}),
  };
  const onlyRequester = destinationsOf(origin).card === "requester";
  await responder.defer({ ephemeral: onlyRequester });
  try {
    await rememberInteraction(context, interaction);
    const input = typeof request === "function" ? await request() : request;
    await context.service.submit(input, origin, {
      idempotencyKey: interaction.id,
      ...(parentJobId ? { parentJobId } : {}),
      ...(options.takes ? { takes: options.takes } : {}),
    });
  } catch (error) {
    await replyWithError(responder, error, context.logger);
  }
}
