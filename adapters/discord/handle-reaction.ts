import type { MessageReaction, PartialMessageReaction, PartialUser, User } from "discord.js";
import { UserFacingError } from "../../src/errors.ts";
import { reactionKey } from "../../src/service/event-dedupe.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { jobIdOfBotMessage } from "./bot-messages.ts";
import { platform } from "./to-request.ts";

const regenerateEmoji = new Set(["🔁", "🔄"]);
const cancelEmoji = new Set(["❌"]);

/**
 * 🔁 on a result or status card regenerates for the reacting user; ❌ by the requester cancels a
 * pending job. The job comes from the message itself (fetched when not cached), so reactions
 * keep working after a restart.
 */
export async function handleReaction(
  context: AdapterContext,
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
): Promise<void> {
  const emoji = reaction.emoji.name ?? "";
  const wantsRegenerate = regenerateEmoji.has(emoji);
  if ((!wantsRegenerate && !cancelEmoji.has(emoji)) || user.id === context.client.user?.id) return;
  // The event has no id: a gateway replay (resume) or a second instance is told apart by who, where, what.
  const key = reactionKey({ userId: user.id, messageId: reaction.message.id, emoji });
  if (!(await context.service.isFirstDelivery(platform, key))) return;
  const message = reaction.message.partial ? await reaction.message.fetch() : reaction.message;
  const jobId = jobIdOfBotMessage(message);
  if (!jobId) return;
  const actor = {
    platform,
    userId: user.id,
    ...(user.username ? { userName: user.username } : {}),
  };
  try {
    if (wantsRegenerate) {
      // The new job answers in the same thread, as a reply to the message that was reacted to.
      const origin = { messageId: message.id, userId: user.id };
      await context.service.regenerate(jobId, actor, {
        origin: actor.userName ? { ...origin, userName: actor.userName } : origin,
      });
    } else {
      await context.service.cancel(jobId, actor);
    }
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    // Reactions have no private reply; a refused ❌ or 🔁 is only logged.
    context.logger.info({ jobId, userId: user.id, reason: error.message }, "reaction refused");
  }
}
