/**
 * The worst case for the platforms' limits (issue 11): 5,000 characters of what escaping, mentions and
 * formatting grow (`&`, `<`, `>`, `@`, `*`, `_`, `~`, backticks) and of emoji (two UTF-16 units each).
 * Every message builder that quotes user text is rendered with it in the limit contract tests.
 */
const pieces = ["&", "<", ">", "@", "*", "`", "_", "~", "🎬", "@everyone ", "<@123>", "```"];

export const worstCaseCharacters = 5_000;

/** Exactly 5,000 characters (code points), longer in UTF-16 units because of the emoji. */
export const worstCaseText: string = Array.from(pieces.join("").repeat(300))
  .slice(0, worstCaseCharacters)
  .join("");

/** Code points, which is how Discord and Slack count characters in their published limits. */
export function characterCount(text: string): number {
  return Array.from(text).length;
}
