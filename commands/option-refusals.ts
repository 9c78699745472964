import type { z } from "zod";
import { boundedExcerpt } from "../src/chat/excerpt.ts";
import { describeOptions, type OptionDescriptor } from "./option-descriptors.ts";

/** A value as the user typed it, cut short: refusals quote a bounded excerpt, never a whole prompt. */
function shown(value: unknown): string {
  if (value === undefined) return "(missing)";
  if (typeof value === "object" && value !== null && "url" in value) {
    const file = value as { fileName?: unknown };
    return typeof file.fileName === "string" ? `"${boundedExcerpt(file.fileName, 60)}"` : "(file)";
  }
  return typeof value === "string"
    ? `"${boundedExcerpt(value, 60)}"`
    : boundedExcerpt(String(value), 60);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** What to do when an option was left out, in the user's words. */
function whenMissing(command: string, option: OptionDescriptor): string {
  if (option.whenMissing) return `/${command} needs ${option.whenMissing}`;
  if (option.type === "attachment") {
    const kind = option.accepts ?? "file";
    return `/${command} needs ${article(kind)}: attach ${lowerFirst(option.description)} as \`${option.name}\`.`;
  }
  return `/${command} needs \`${option.name}\`: ${lowerFirst(option.description)}.`;
}

function choices(option: OptionDescriptor | undefined, issue: z.core.$ZodIssue): string[] {
  if (option?.choices) return option.choices.map((choice) => String(choice.value));
  if (issue.code === "invalid_value") return issue.values.map((value) => String(value));
  return [];
}

function numberRange(option: OptionDescriptor | undefined): string {
  const { minValue, maxValue } = option ?? {};
  if (minValue !== undefined && maxValue !== undefined) return `from ${minValue} to ${maxValue}`;
  if (minValue !== undefined) return `of at least ${minValue}`;
  if (maxValue !== undefined) return `of at most ${maxValue}`;
  return "";
}

/** One schema issue as a sentence that names the option, the value and what is allowed. */
function describeIssue(
  command: string,
  option: OptionDescriptor | undefined,
  field: string,
  value: unknown,
  issue: z.core.$ZodIssue,
): string {
  if (value === undefined && option) return whenMissing(command, option);
  const given = `Invalid option ${field} ${shown(value)}`;
  const allowed = choices(option, issue);
  if (allowed.length > 0) return `${given}: choose ${allowed.map((v) => `"${v}"`).join(" or ")}.`;
  if (option?.type === "integer" || option?.type === "number") {
    const whole = option.type === "integer" ? "a whole number" : "a number";
    const range = numberRange(option);
    return `${given}: use ${whole}${range ? ` ${range}` : ""}.`;
  }
  if (option?.type === "string" && issue.code === "too_small") {
    return `${given}: it is empty; ${lowerFirst(option.description)}.`;
  }
  if (option?.type === "string" && issue.code === "too_big") {
    return `${given}: it is too long; use at most ${option.maxLength ?? "fewer"} characters.`;
  }
  if (option?.type === "attachment") {
    return `${given}: attach ${article(option.accepts ?? "file")} file as \`${field}\`.`;
  }
  if (option?.type === "boolean") return `${given}: choose true or false.`;
  return `${given}: ${lowerFirst(option?.description ?? "check this option")}.`;
}

/** The refusal for raw option values a command's schema rejected; each issue in a user's words. */
export function describeRefusal(
  command: string,
  schema: z.ZodObject,
  present: Readonly<Record<string, unknown>>,
  issues: readonly z.core.$ZodIssue[],
): string {
  const options = describeOptions(schema);
  const sentences = issues.map((issue) => {
    const field = String(issue.path[0] ?? "options");
    const option = options.find((candidate) => candidate.name === field);
    return describeIssue(command, option, field, present[field], issue);
  });
  return [...new Set(sentences)].join(" ");
}
