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

export function truncate(text: string, maximum: number): string {
  return text.length <= maximum ? text : `${text.slice(0, maximum - 1)}…`;
}

/** A prompt, safe to show: escaped, and no "@channel" or "@here" that could notify anyone. */
export function safePrompt(prompt: string): string {
  return escapeSlack(prompt).replaceAll("@", "@\u200b");
}

/** One line of a prompt, safe to show. */
export function promptExcerpt(prompt: string, maximum = 180): string {
  return safePrompt(truncate(prompt.replace(/\s+/g, " ").trim(), maximum));
}
