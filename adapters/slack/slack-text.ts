/** Escapes text for Slack mrkdwn, so nothing in it can become a link or a mention. */
export function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Slack sends `&`, `<` and `>` in typed text as entities; a prompt wants the characters back. */
export function unescapeSlack(text: string): string {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** The message text without mentions of the bot, with Slack's entities decoded. */
export function textWithoutMention(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId
    ? text.replaceAll(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, "g"), " ")
    : text;
  return unescapeSlack(withoutBot)
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** At most `maximum` UTF-16 units (never more characters), ending in "…" when cut; no emoji is split. */
export function truncate(text: string, maximum: number): string {
  if (text.length <= maximum) return text;
  let end = maximum - 1;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Cuts mrkdwn that is already escaped to at most `maximum` (Slack's limits count the text as
 * sent, entities and all), never inside an entity (`&amp;`), a mention, link or date (`<…>`), the
 * "@" + zero-width space pair, or an emoji; ends in "…" when cut.
 */
export function fitSlack(text: string, maximum: number): string {
  if (text.length <= maximum) return text;
  let end = maximum - 1;
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  const ampersand = text.lastIndexOf("&", end - 1);
  if (ampersand !== -1 && !text.slice(ampersand, end).includes(";")) end = ampersand;
  const opening = text.lastIndexOf("<", end - 1);
  if (opening !== -1 && opening > text.lastIndexOf(">", end - 1)) end = opening;
  if (text[end - 1] === "@" && text[end] === "\u200b") end -= 1;
  return `${text.slice(0, end)}…`;
}

/** A prompt, safe to show: escaped, and no "@channel" or "@here" that could notify anyone. */
export function safePrompt(prompt: string): string {
  return escapeSlack(prompt).replaceAll("@", "@\u200b");
}

/** One line of a prompt, safe to show, at most `maximum` long once escaped. */
export function promptExcerpt(prompt: string, maximum = 180): string {
  return fitSlack(safePrompt(truncate(prompt.replace(/\s+/g, " ").trim(), maximum)), maximum);
}

/** Slack's published Block Kit limits that our messages come near (characters, as sent). */
export const slackLimits = {
  sectionText: 3000,
  fieldText: 2000,
  /** A reply without blocks: Slack takes 40,000 but cuts what is over 4,000 in the client. */
  replyText: 3000,
} as const;
