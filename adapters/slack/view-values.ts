import type { ViewOutput } from "@slack/bolt";
import type { Command } from "../../commands/index.ts";
import { describeOptions, type OptionDescriptor } from "../../commands/option-descriptors.ts";
import { joinRemixFields } from "../../commands/remix-fields.ts";
import type { UserFacingError } from "../../src/errors.ts";
import { promptBlockId, promptFieldId } from "./modals.ts";
import { filesFrom, mediaFromSlackFile } from "./slack-payloads.ts";

type StateValues = ViewOutput["state"]["values"];
type StateValue = StateValues[string][string];

function optionValue(descriptor: OptionDescriptor, state: StateValue | undefined): unknown {
  if (!state) return undefined;
  if (descriptor.type === "attachment") {
    const [file] = filesFrom(state.files);
    return file ? mediaFromSlackFile(file) : undefined;
  }
  if (descriptor.channelList) {
    const channels = state.selected_channels ?? [];
    return channels.length > 0 ? channels.join(" ") : undefined;
  }
  if (descriptor.type === "boolean") return (state.selected_options ?? []).length > 0 || undefined;
  const text = descriptor.choices ? state.selected_option?.value : state.value;
  if (text === undefined || text === null || text === "") return undefined;
  return descriptor.type === "string" ? text : Number(text);
}

/** A submitted command form as raw option values by name, ready for `command.run`. */
export function readCommandOptions(command: Command, values: StateValues): Record<string, unknown> {
  return Object.fromEntries(
    describeOptions(command.options).map((descriptor) => [
      descriptor.name,
      optionValue(descriptor, values[descriptor.name]?.[descriptor.name]),
    ]),
  );
}

/** The submitted prompt: its boxes in order, joined where a long prefill was cut. */
export function readPrompt(values: StateValues): string {
  const parts: string[] = [];
  for (let index = 0; values[promptFieldId(index)]; index += 1) {
    parts.push(values[promptFieldId(index)]?.[promptFieldId(index)]?.value ?? "");
  }
  return parts.length > 1 ? joinRemixFields(parts) : (parts[0] ?? "");
}

/**
 * A form error shown under the field it is about (Slack's `response_action: errors`), or under the
 * prompt when it is about the request as a whole.
 */
export function formErrors(error: UserFacingError, values: StateValues): Record<string, string> {
  const field = error.field && values[error.field] ? error.field : promptBlockId;
  return { [field]: error.message.slice(0, 2000) };
}
