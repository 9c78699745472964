import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import { truncateText } from "../../src/chat/excerpt.ts";
import { discordLimits } from "./message-limits.ts";

export const promptFieldId = "prompt";

/** A modal with one multi-line text field, the way Remix and Animate ask for a prompt. */
export function promptForm(options: {
  customId: string;
  title: string;
  label: string;
  placeholder?: string;
  value?: string;
}): APIModalInteractionResponseCallbackData {
  return {
    custom_id: options.customId,
    title: truncateText(options.title, discordLimits.modalTitle),
    components: [
      {
        type: ComponentType.Label,
        label: truncateText(options.label, discordLimits.textInputLabel),
        description: "Flags work here: --ar 9:16 --dur 8 --res 720p --seed 42 --audio --fast",
        component: {
          type: ComponentType.TextInput,
          custom_id: promptFieldId,
          style: TextInputStyle.Paragraph,
          required: true,
          min_length: 1,
          max_length: discordLimits.textInputValue,
          ...(options.placeholder
            ? { placeholder: truncateText(options.placeholder, discordLimits.textInputPlaceholder) }
            : {}),
          ...(options.value
            ? { value: truncateText(options.value, discordLimits.textInputValue) }
            : {}),
        },
      },
    ],
  };
}
