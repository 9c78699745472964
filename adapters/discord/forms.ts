import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  TextInputStyle,
} from "discord.js";

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
    title: options.title.slice(0, 45),
    components: [
      {
        type: ComponentType.Label,
        label: options.label.slice(0, 45),
        description: "Flags work here: --ar 9:16 --dur 8 --res 720p --seed 42 --audio --fast",
        component: {
          type: ComponentType.TextInput,
          custom_id: promptFieldId,
          style: TextInputStyle.Paragraph,
          required: true,
          min_length: 1,
          max_length: 4000,
          ...(options.placeholder ? { placeholder: options.placeholder.slice(0, 100) } : {}),
          ...(options.value ? { value: options.value.slice(0, 4000) } : {}),
        },
      },
    ],
  };
}
