import type { Command, MessageAction } from "../../commands/index.ts";
import { describeOptions, typedTextOption } from "../../commands/option-descriptors.ts";

/** Form (view) callback ids: `command:<name>` for a command's form, and the two prompt forms. */
export const commandViewPrefix = "command:";
export const animateViewId = "animate_message";
export const remixViewId = "remix";
export const extendViewId = "extend";

/** The option a slash command's text fills: the prompt, the job, `/usage`'s scope. */
export function textOption(command: Command): string | undefined {
  return typedTextOption(command.options)?.name;
}

/** Commands with files always need the form; others only when a required option is left out. */
export function needsForm(command: Command, text: string): boolean {
  const options = describeOptions(command.options);
  if (options.some((option) => option.type === "attachment")) return true;
  return text === "" && options.some((option) => option.required);
}

/** The message shortcut's Slack name and callback id, from the shared definition. */
export function shortcutOf(action: MessageAction): { name: string; callbackId: string } {
  const slug = action.name.toLowerCase().replace(/[^a-z0-9]+/g, "_");
  return { name: `${action.name} with Seedance`, callbackId: `${slug}_message` };
}
