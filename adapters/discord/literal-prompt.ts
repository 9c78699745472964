import { escapeMarkdown } from "discord.js";

/**
 * A user's prompt as the bot shows it in its own messages: the literal text. No formatting, no
 * masked links (a bot's message must not hide where a link goes), no pings.
 */
export function literalPrompt(prompt: string): string {
  return escapeMarkdown(prompt, {
    maskedLink: true,
    heading: true,
    bulletedList: true,
    numberedList: true,
  }).replaceAll("@", "@\u200b");
}
