import type { types } from "@slack/bolt";
import type { Command } from "../../commands/index.ts";
import { describeOptions, type OptionDescriptor } from "../../commands/option-descriptors.ts";
import { remixFieldHint, remixFieldLabel, remixFieldValues } from "../../commands/remix-fields.ts";
import { commandViewPrefix } from "./command-forms.ts";
import type { FormMetadata } from "./slack-payloads.ts";
import { fitSlack, truncate } from "./slack-text.ts";

export const promptBlockId = "prompt";
const flagsHint = "Flags work here: --ar 9:16 --dur 8 --res 720p --seed 42 --audio --fast";

/** What each kind of file input offers in Slack's picker. */
const fileTypes = {
  image: ["jpg", "jpeg", "png", "webp"],
  video: ["mp4", "mov"],
  audio: ["mp3", "wav"],
} as const;

function plain(text: string, maximum = 150): types.PlainTextElement {
  return { type: "plain_text", text: truncate(text, maximum), emoji: true };
}

/** "aspect_ratio" → "Aspect ratio". */
function labelOf(name: string): string {
  const words = name.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text, 75), value };
}

function elementFor(
  descriptor: OptionDescriptor,
  initial: string | undefined,
): types.InputBlock["element"] {
  const actionId = descriptor.name;
  if (descriptor.type === "attachment") {
    return {
      type: "file_input",
      action_id: actionId,
      filetypes: [...fileTypes[descriptor.accepts ?? "image"]],
      max_files: 1,
    };
  }
  if (descriptor.channelList) {
    const channels = initial?.split(/\s+/).filter(Boolean) ?? [];
    return {
      type: "multi_channels_select",
      action_id: actionId,
      ...(channels.length > 0 ? { initial_channels: channels } : {}),
    };
  }
  if (descriptor.choices) {
    const options = descriptor.choices
      .slice(0, 100)
      .map((choice) => option(choice.name, String(choice.value)));
    const chosen = options.find((each) => each.value === initial);
    return {
      type: "static_select",
      action_id: actionId,
      options,
      ...(chosen ? { initial_option: chosen } : {}),
    };
  }
  if (descriptor.type === "boolean") {
    return {
      type: "checkboxes",
      action_id: actionId,
      options: [option(descriptor.description, "true")],
    };
  }
  if (descriptor.type === "integer" || descriptor.type === "number") {
    return {
      type: "number_input",
      action_id: actionId,
      is_decimal_allowed: descriptor.type === "number",
      ...(descriptor.minValue === undefined ? {} : { min_value: String(descriptor.minValue) }),
      ...(descriptor.maxValue === undefined ? {} : { max_value: String(descriptor.maxValue) }),
      ...(initial ? { initial_value: initial } : {}),
    };
  }
  return {
    type: "plain_text_input",
    action_id: actionId,
    multiline: descriptor.name === promptBlockId,
    ...(descriptor.minLength === undefined ? {} : { min_length: descriptor.minLength }),
    max_length: Math.min(descriptor.maxLength ?? 3000, 3000),
    ...(initial ? { initial_value: truncate(initial, 3000) } : {}),
  };
}

function inputBlock(descriptor: OptionDescriptor, initial?: string): types.InputBlock {
  const hint = descriptor.type === "boolean" ? undefined : descriptor.description;
  return {
    type: "input",
    block_id: descriptor.name,
    optional: !descriptor.required,
    label: plain(labelOf(descriptor.name), 2000),
    element: elementFor(descriptor, initial),
    ...(hint ? { hint: plain(hint, 2000) } : {}),
  };
}

function titleOf(name: string): string {
  return truncate(labelOf(name), 24);
}

/**
 * A command as a form: one input per option, named after it, so values map straight back. Text
 * typed after the command (`/animate a cat`) prefills its text field.
 */
export function commandModal(
  command: Command,
  metadata: FormMetadata,
  initial: Readonly<Record<string, string>> = {},
): types.ModalView {
  return {
    type: "modal",
    callback_id: `${commandViewPrefix}${command.name}`,
    title: plain(titleOf(command.name), 24),
    submit: plain(command.manageSpace ? "Save" : "Generate", 24),
    close: plain("Cancel", 24),
    private_metadata: JSON.stringify(metadata),
    blocks: describeOptions(command.options).map((descriptor) =>
      inputBlock(descriptor, initial[descriptor.name]),
    ),
  };
}

const inputLimit = 3000;

/** The block and action id of the prompt's box `index` (a long prompt goes on over several). */
export function promptFieldId(index: number): string {
  return index === 0 ? promptBlockId : `${promptBlockId}_${index + 1}`;
}

/**
 * A form with a prompt field (Remix, Animate from a message), optionally prefilled. A prefill
 * longer than one input goes on over several boxes, so nothing is cut.
 */
export function promptModal(options: {
  callbackId: string;
  title: string;
  label: string;
  metadata: FormMetadata;
  placeholder?: string;
  value?: string;
  context?: string;
}): types.ModalView {
  const blocks: types.KnownBlock[] = [];
  if (options.context) {
    const text = fitSlack(options.context, 2000);
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text }] });
  }
  const values = options.value ? remixFieldValues(options.value, inputLimit) : [undefined];
  values.forEach((value, index) => {
    const label = values.length === 1 ? options.label : remixFieldLabel(index, values.length);
    blocks.push({
      type: "input",
      block_id: promptFieldId(index),
      optional: index > 0,
      label: plain(label, 2000),
      hint: plain(remixFieldHint(index, values.length, inputLimit) ?? flagsHint, 2000),
      element: {
        type: "plain_text_input",
        action_id: promptFieldId(index),
        multiline: true,
        ...(index === 0 ? { min_length: 1 } : {}),
        max_length: inputLimit,
        ...(options.placeholder && index === 0 ? { placeholder: plain(options.placeholder) } : {}),
        ...(value ? { initial_value: value } : {}),
      },
    });
  });
  return {
    type: "modal",
    callback_id: options.callbackId,
    title: plain(options.title, 24),
    submit: plain("Generate", 24),
    close: plain("Cancel", 24),
    private_metadata: JSON.stringify(options.metadata),
    blocks,
  };
}
