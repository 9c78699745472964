import type { Command, MessageAction } from "../../commands/index.ts";
import { describeOptions } from "../../commands/option-descriptors.ts";

/** Form (view) callback ids: `command:<name>` for a command's form, and the two prompt forms. */
export const commandViewPrefix = "command:";
export const animateViewId = "animate_message";
export const remixViewId = "remix";

/** The option a slash command's text fills: its first required text option (the prompt, the job). */
export function textOption(command: Command): string | undefined {
  return describeOptions(command.options).find(
    (option) => option.required && option.type === "string" && !option.choices,
  )?.name;
}

/** Commands with files always need the form; others need it only when typed without text. */
export function needsForm(command: Command, text: string): boolean {
  const options = describeOptions(command.options);
  if (options.length === 0) return false;
  return options.some((option) => option.type === "attachment") || text === "";
}

/** The message shortcut's Slack name and callback id, from the shared definition. */
export function shortcutOf(action: MessageAction): { name: string; callbackId: string } {
  const slug = action.name.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  return { name: `${action.name} with Seedance`, callbackId: `${slug}_message` };
}
