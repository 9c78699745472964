import {
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageApplicationCommandInteraction,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
} from "discord.js";
import type { AdapterContext } from "./adapter-context.ts";
import { handleAutocomplete, handleCommand } from "./handle-command.ts";
import { handleAnimateMenu, handleButton, handleModal } from "./handle-component.ts";
import type { InteractionResponder } from "./interaction-responder.ts";

/**
 * Every interaction, as Discord's raw payload, whichever transport brought it (the gateway's
 * INTERACTION_CREATE or POST /discord/interactions): routed by type to its handler, which answers
 * through `responder`.
 */
export async function handleInteraction(
  context: AdapterContext,
  interaction: APIInteraction,
  responder: InteractionResponder,
): Promise<void> {
  switch (interaction.type) {
    case InteractionType.ApplicationCommand:
      if (interaction.data.type === ApplicationCommandType.ChatInput)
        return await handleCommand(
          context,
          interaction as APIChatInputApplicationCommandInteraction,
          responder,
        );
      if (interaction.data.type === ApplicationCommandType.Message)
        return await handleAnimateMenu(
          context,
          interaction as APIMessageApplicationCommandInteraction,
          responder,
        );
      return;
    case InteractionType.ApplicationCommandAutocomplete:
      return await handleAutocomplete(context, interaction, responder);
    case InteractionType.MessageComponent:
      if (interaction.data.component_type === ComponentType.Button)
        return await handleButton(context, interaction.data.custom_id, interaction, responder);
      return;
    case InteractionType.ModalSubmit:
      return await handleModal(context, interaction, responder);
    default:
      return;
  }
}
