import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord.js";
import type { Command, MessageAction } from "../../commands/index.ts";
import { describeOptions, type OptionDescriptor } from "../../commands/option-descriptors.ts";

const optionTypes = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  number: ApplicationCommandOptionType.Number,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
} as const;

// Usable in servers and in DMs with the bot, once the bot is installed in a server.
const reach = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
};

// Shown to members with Manage Server only (servers can change that in their integration settings).
const manageServer = {
  integration_types: [ApplicationIntegrationType.GuildInstall],
  contexts: [InteractionContextType.Guild],
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
};

function renderOption(option: OptionDescriptor): APIApplicationCommandBasicOption {
  const rendered = {
    type: optionTypes[option.type],
    name: option.name,
    description: option.description.slice(0, 100),
    required: option.required,
    ...(option.choices
      ? { choices: option.choices.map((choice) => ({ name: choice.name, value: choice.value })) }
      : {}),
    ...(option.minValue === undefined ? {} : { min_value: option.minValue }),
    ...(option.maxValue === undefined ? {} : { max_value: option.maxValue }),
    ...(option.minLength === undefined ? {} : { min_length: option.minLength }),
    ...(option.maxLength === undefined ? {} : { max_length: option.maxLength }),
    ...(option.accepts ? { file_types: [option.accepts] } : {}),
    ...(option.autocomplete ? { autocomplete: true } : {}),
  };
  return rendered as APIApplicationCommandBasicOption;
}

/** The Discord application commands for our definitions: one slash command each, plus menus. */
export function renderCommands(
  commands: readonly Command[],
  messageActions: readonly MessageAction[],
): RESTPostAPIApplicationCommandsJSONBody[] {
  const slash = commands.map(
    (command): RESTPostAPIApplicationCommandsJSONBody => ({
      type: ApplicationCommandType.ChatInput,
      name: command.name,
      description: command.description.slice(0, 100),
      options: describeOptions(command.options).map(renderOption),
      ...(command.manageSpace ? manageServer : reach),
    }),
  );
  const menus = messageActions.map(
    (action): RESTPostAPIApplicationCommandsJSONBody => ({
      type: ApplicationCommandType.Message,
      name: action.name,
      ...reach,
    }),
  );
  return [...slash, ...menus];
}
