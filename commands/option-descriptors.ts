import { z } from "zod";
import { incomingMediaSchema, type MediaKind } from "./incoming-media.ts";

export type OptionType = "string" | "integer" | "number" | "boolean" | "attachment";

export interface OptionChoice {
  name: string;
  value: string | number;
}

/** One command option in platform-neutral terms; each platform renders these its own way. */
export interface OptionDescriptor {
  name: string;
  description: string;
  type: OptionType;
  required: boolean;
  choices?: OptionChoice[];
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
  /** For attachments: the kind of file the picker offers. */
  accepts?: MediaKind;
  /** Values are suggested while typing (Discord autocomplete). */
  autocomplete?: boolean;
  /** A text of channel ids or mentions: forms may offer a channel picker instead of a text box. */
  channelList?: boolean;
  /** What a refusal says the command needs when the option is left out ("a prompt: …"). */
  whenMissing?: string;
}

/** Extra option metadata carried in zod's `.meta()`. */
interface OptionMeta {
  description?: string;
  attachment?: MediaKind;
  choices?: OptionChoice[];
  autocomplete?: boolean;
  channelList?: boolean;
  whenMissing?: string;
}

/** An attachment option offering one kind of file. */
export function attachmentOption(accepts: MediaKind, description: string) {
  return incomingMediaSchema.meta({ attachment: accepts }).describe(description);
}

/** A whole-number option shown as a fixed list of choices. */
export function integerChoiceOption(choices: OptionChoice[], description: string) {
  return z.number().int().meta({ choices }).describe(description);
}

export function autocompleteOption(description: string, whenMissing?: string) {
  return z
    .string()
    .min(1)
    .meta({ autocomplete: true, ...(whenMissing ? { whenMissing } : {}) })
    .describe(description);
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; required: boolean; meta: OptionMeta } {
  let inner = schema;
  let required = true;
  let meta: OptionMeta = { ...(schema.meta() as OptionMeta | undefined) };
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) {
    required = false;
    inner = inner.unwrap() as z.ZodType;
    meta = { ...(inner.meta() as OptionMeta | undefined), ...meta };
  }
  return { inner, required, meta };
}

function describeOne(name: string, schema: z.ZodType): OptionDescriptor {
  const { inner, required, meta } = unwrap(schema);
  const base = {
    name,
    description: meta.description ?? name,
    required,
    ...(meta.whenMissing ? { whenMissing: meta.whenMissing } : {}),
  };
  if (meta.attachment) return { ...base, type: "attachment", accepts: meta.attachment };
  if (inner instanceof z.ZodEnum) {
    const values = inner.options as (string | number)[];
    return {
      ...base,
      type: "string",
      choices: values.map((value) => ({ name: String(value), value })),
    };
  }
  if (inner instanceof z.ZodString) {
    return {
      ...base,
      type: "string",
      ...(inner.minLength === null ? {} : { minLength: inner.minLength }),
      ...(inner.maxLength === null ? {} : { maxLength: inner.maxLength }),
      ...(meta.autocomplete ? { autocomplete: true } : {}),
      ...(meta.channelList ? { channelList: true } : {}),
    };
  }
  if (inner instanceof z.ZodNumber) {
    const finite = (value: number | null) =>
      value !== null && Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER;
    return {
      ...base,
      type: inner.isInt ? "integer" : "number",
      ...(meta.choices ? { choices: meta.choices } : {}),
      ...(finite(inner.minValue) ? { minValue: inner.minValue ?? 0 } : {}),
      ...(finite(inner.maxValue) ? { maxValue: inner.maxValue ?? 0 } : {}),
    };
  }
  if (inner instanceof z.ZodBoolean) return { ...base, type: "boolean" };
  throw new Error(`Option ${name} has a type no platform can render.`);
}

/** The options of a command schema, required ones first (Discord demands that order). */
export function describeOptions(schema: z.ZodObject): OptionDescriptor[] {
  const options = Object.entries(schema.shape).map(([name, option]) =>
    describeOne(name, option as z.ZodType),
  );
  return [...options.filter((option) => option.required), ...options.filter((o) => !o.required)];
}

/**
 * The option that the text typed after a slash command fills: the first required text option (the
 * prompt, the job), else the one option of a command that has a single text option (`/usage server`).
 */
export function typedTextOption(schema: z.ZodObject): OptionDescriptor | undefined {
  const options = describeOptions(schema);
  const required = options.find((option) => option.required && option.type === "string");
  if (required) return required;
  const [only] = options;
  return options.length === 1 && only?.type === "string" ? only : undefined;
}
