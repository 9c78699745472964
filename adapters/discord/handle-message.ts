import type { Message } from "discord.js";
import { type IncomingMedia, mediaKindOf, sortMedia } from "../../commands/incoming-media.ts";
import { type IncomingMessage, parseFlags, routeMessage } from "../../commands/index.ts";
import { UserFacingError } from "../../src/errors.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { jobIdOfBotMessage } from "./bot-messages.ts";
import { fitContent } from "./message-limits.ts";
import { mediaFromAttachments, originFromMessage, textWithoutMention } from "./to-request.ts";

/** Whether a message is addressed to the bot: any DM, or a mention (a reply with ping counts). */
export function isForBot(message: Message): boolean {
  if (message.author.bot) return false;
  return message.guildId === null || message.mentions.users.has(message.client.user.id);
}

/**
 * What a reply adds: the images of the replied-to message, and, when that message is one of the
 * bot's results, its prompt for a reply that brings only a new image.
 */
async function replyContext(
  context: AdapterContext,
  message: Message,
): Promise<Pick<IncomingMessage, "repliedAttachments" | "fallbackPrompt">> {
  if (!message.reference?.messageId) return {};
  const replied = await message.fetchReference().catch(() => undefined);
  if (!replied) return {};
  const images = mediaFromAttachments(replied.attachments).filter(
    (media: IncomingMedia) => mediaKindOf(media) === "image",
  );
  const jobId = jobIdOfBotMessage(replied);
  const parent = jobId ? await context.service.getJob(jobId) : undefined;
  return {
    repliedAttachments: images,
    ...(parent ? { fallbackPrompt: parent.request.prompt } : {}),
  };
}

async function answer(message: Message, content: string): Promise<void> {
  await message.reply({
    content: fitContent(content),
    allowedMentions: { parse: [], repliedUser: false },
  });
}

/** A message for the bot is a request; routing and flags come from what it carries. */
export async function handleMessage(context: AdapterContext, message: Message): Promise<void> {
  if (!isForBot(message)) return;
  const { logger, service, client } = context;
  try {
    const text = textWithoutMention(message.content, client.user?.id ?? "");
    const attachments = mediaFromAttachments(message.attachments);
    // Pure checks first: a bad flag or file is answered before the replied-to message is fetched.
    parseFlags(text);
    sortMedia(attachments);
    const request = routeMessage({ text, attachments, ...(await replyContext(context, message)) });
    await service.submit(request, originFromMessage(message), { idempotencyKey: message.id });
  } catch (error) {
    if (error instanceof UserFacingError) {
      await answer(message, error.message).catch(() => undefined);
      return;
    }
    logger.error({ err: error, messageId: message.id }, "could not handle a mention");
    await answer(message, "Something went wrong on our side; please try again in a moment.").catch(
      () => undefined,
    );
  }
}
