import { truncateText } from "../../src/chat/excerpt.ts";

/**
 * Discord's published limits for what the bot sends (characters, as Discord counts them). Past any
 * of them Discord refuses the whole message, and an interaction then "did not respond".
 */
export const discordLimits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
  buttonLabel: 80,
  modalTitle: 45,
  textInputLabel: 45,
  textInputPlaceholder: 100,
  textInputValue: 4000,
  choiceName: 100,
} as const;

/** The status card quotes at most this much of the prompt (after escaping), leaving room for fields. */
export const cardPromptCharacters = 3000;

/** Message content that Discord accepts: at most 2,000 characters, ending in "…" when cut. */
export function fitContent(text: string): string {
  return truncateText(text, discordLimits.content);
}
