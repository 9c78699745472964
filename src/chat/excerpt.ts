/**
 * Bounded text for chat messages. Platforms count characters as code points (Discord's 2,000,
 * Slack's 3,000), so text is cut on code points, never inside an emoji's surrogate pair.
 */

const ellipsis = "…";

/** Code points, as the platforms count characters. */
export function characterLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** `text` cut to at most `maximum` characters, ending in "…" when something was left out. */
export function truncateText(text: string, maximum: number): string {
  if (maximum <= 0) return "";
  if (text.length <= maximum) return text;
  const characters = Array.from(text);
  if (characters.length <= maximum) return text;
  return `${characters.slice(0, maximum - 1).join("")}${ellipsis}`;
}

/**
 * A short quote of what a user wrote, on one line (runs of spaces and line breaks become one space),
 * at most `maximum` characters: what error replies and lists show instead of the whole text.
 */
export function boundedExcerpt(text: string, maximum: number): string {
  return truncateText(text.replace(/\s+/g, " ").trim(), maximum);
}

/**
 * Fits text that grows when it is rendered (escaped, mentions defused): the rendering of the longest
 * excerpt of `text` whose rendered form stays within `maximum` characters. The text is cut before it
 * is rendered, so the cut never splits an escape sequence (`&amp;`, `\\*`), and measured after.
 */
export function fitRendered(
  text: string,
  maximum: number,
  render: (excerpt: string) => string,
): string {
  const whole = render(text);
  if (characterLength(whole) <= maximum) return whole;
  let low = 0;
  let high = Math.min(characterLength(text), maximum);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (characterLength(render(truncateText(text, middle))) <= maximum) low = middle;
    else high = middle - 1;
  }
  return render(truncateText(text, low));
}
