import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  TextInputStyle,
} from "discord.js";
import {
  joinRemixFields,
  remixFieldHint,
  remixFieldLabel,
  remixFieldValues,
} from "../../commands/remix-fields.ts";
import { truncateText } from "../../src/chat/excerpt.ts";
import { discordLimits } from "./message-limits.ts";

export const promptFieldId = "prompt";
const flagsHint = "Flags work here: --ar 9:16 --dur 8 --res 720p --seed 42 --audio --fast";

/** The custom id of the prompt's box `index` (a long prompt goes on over several). */
function fieldId(index: number): string {
  return index === 0 ? promptFieldId : `${promptFieldId}_${index + 1}`;
}

/**
 * A modal with a multi-line prompt field, the way Remix and Animate ask for a prompt. A prefill
 * longer than one text input goes on over several boxes, so nothing is cut.
 */
export function promptForm(options: {
  customId: string;
  title: string;
  label: string;
  placeholder?: string;
  value?: string;
}): APIModalInteractionResponseCallbackData {
  const limit = discordLimits.textInputValue;
  const values = options.value ? remixFieldValues(options.value, limit) : [undefined];
  return {
    custom_id: options.customId,
    title: truncateText(options.title, discordLimits.modalTitle),
    components: values.map((value, index) => ({
      type: ComponentType.Label,
      label: truncateText(
        values.length === 1 ? options.label : remixFieldLabel(index, values.length),
        discordLimits.textInputLabel,
      ),
      description: remixFieldHint(index, values.length, limit) ?? flagsHint,
      component: {
        type: ComponentType.TextInput,
        custom_id: fieldId(index),
        style: TextInputStyle.Paragraph,
        required: index === 0,
        ...(index === 0 ? { min_length: 1 } : {}),
        max_length: limit,
        ...(options.placeholder && index === 0
          ? { placeholder: truncateText(options.placeholder, discordLimits.textInputPlaceholder) }
          : {}),
        ...(value ? { value } : {}),
      },
    })),
  };
}

/** The submitted prompt: its boxes in order, joined where a long prefill was cut. */
export function readPromptForm(fields: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (let index = 0; fields.has(fieldId(index)); index += 1) {
    parts.push(fields.get(fieldId(index)) ?? "");
  }
  return parts.length > 1 ? joinRemixFields(parts) : (parts[0] ?? "");
}
