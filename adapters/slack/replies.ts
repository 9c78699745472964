import type { types } from "@slack/bolt";
import { UserFacingError } from "../../src/errors.ts";
import type { Logger } from "../../src/logger.ts";
import type { SlackContext } from "./slack-context.ts";
import { escapeSlack, fitSlack, slackLimits } from "./slack-text.ts";

/** Tells only the person who asked (blocks, when given, lay the text out); each entry point builds one the way it can. */
export type Reply = (text: string, blocks?: types.KnownBlock[]) => Promise<void>;

const somethingWentWrong =
  "Something went wrong on our side and nothing was charged; please try again in a moment.";

/**
 * What to tell the user about an error: its message when it is theirs to fix, else a general
 * line. A message may quote what the user typed, so it is escaped (no `<!channel>` or link can
 * form; an ephemeral note pings no one) and cut to a bounded excerpt.
 */
export function errorText(error: unknown, logger: Logger, what: string): string {
  if (error instanceof UserFacingError)
    return fitSlack(channelLinks(escapeSlack(error.message)), slackLimits.replyText);
  logger.error({ err: error }, `Slack ${what} failed`);
  return somethingWentWrong;
}

/** Channel mentions (`<#C123>`, as the allowed-channels refusal names them) stay links: they ping no one. */
function channelLinks(escaped: string): string {
  return escaped.replace(/&lt;#([A-Z0-9]+)&gt;/g, "<#$1>");
}

/** An ephemeral message in the channel (and thread), seen only by `userId`. */
export function ephemeralReply(
  context: SlackContext,
  where: { channelId: string; threadTs?: string | undefined; userId: string },
): Reply {
  return async (text, blocks) => {
    await context.client.chat
      .postEphemeral({
        channel: where.channelId,
        user: where.userId,
        text: fitSlack(text, slackLimits.replyText),
        ...(blocks ? { blocks } : {}),
        ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      })
      .catch((error: unknown) =>
        context.logger.warn({ err: error }, "could not tell a Slack user something"),
      );
  };
}

/** A reply through an interaction's `response_url` (slash commands, shortcuts, buttons). */
export function responseReply(
  context: SlackContext,
  respond: (message: {
    text: string;
    blocks?: types.KnownBlock[];
    response_type: "ephemeral";
    replace_original: false;
  }) => Promise<unknown>,
): Reply {
  return async (text, blocks) => {
    const bounded = fitSlack(text, slackLimits.replyText);
    const message = { text: bounded, response_type: "ephemeral", replace_original: false } as const;
    await respond(blocks ? { ...message, blocks } : message).catch((error: unknown) =>
      context.logger.warn({ err: error }, "could not answer a Slack interaction"),
    );
  };
}
