import { UserFacingError } from "../src/errors.ts";

/** The most text boxes a Remix form splits a long prompt over (Discord allows five components). */
export const remixFieldCount = 5;

/** Where to cut `text` at most `limit` characters in: the last space, else `limit` (never mid-emoji). */
function cutPoint(text: string, limit: number): { end: number; next: number } {
  const space = text.lastIndexOf(" ", limit);
  if (space > 0) return { end: space, next: space + 1 };
  const code = text.charCodeAt(limit - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
  return { end, next: end };
}

/**
 * The Remix text as the form's boxes hold it: one box when it fits, else cut at spaces over
 * several boxes, so a long prompt is shown whole and never cut short without a word.
 */
export function remixFieldValues(text: string, limit: number, maxFields = remixFieldCount) {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit && parts.length < maxFields) {
    const { end, next } = cutPoint(rest, limit);
    parts.push(rest.slice(0, end));
    rest = rest.slice(next);
  }
  if (rest.length > limit) {
    throw new UserFacingError(
      `This prompt is ${text.length.toLocaleString("en-US")} characters, more than the Remix form holds (${(limit * maxFields).toLocaleString("en-US")}); to remix it, send it again with /video (or with /animate or /reference and the same files).`,
      { field: "prompt" },
    );
  }
  parts.push(rest);
  return parts;
}

/** The text of a submitted Remix form: its boxes in order, joined where they were cut. */
export function joinRemixFields(parts: readonly string[]): string {
  return parts.filter((part) => part.trim() !== "").join(" ");
}

/** The label of box `index` of `count`: "Prompt and settings", "… (1 of 2)", "… (2 of 2)". */
export function remixFieldLabel(index: number, count: number): string {
  return count === 1 ? "Prompt and settings" : `Prompt and settings (${index + 1} of ${count})`;
}

/** The hint under box `index` of `count`, saying the prompt goes on in the next box. */
export function remixFieldHint(index: number, count: number, limit: number): string | undefined {
  if (count === 1) return undefined;
  const size = limit.toLocaleString("en-US");
  return index < count - 1
    ? `The prompt is longer than one box (${size} characters), so it goes on in the next box.`
    : "The prompt goes on from the box above; flags work here: --ar 9:16 --dur 8 --seed 42";
}
