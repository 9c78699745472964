import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { UserFacingError } from "../../src/errors.ts";
import { actorOf, threadOf } from "./origins.ts";
import { ephemeralReply } from "./replies.ts";
import { platform, type SlackContext } from "./slack-context.ts";
import { fetchMessage, jobIdOfBotMessage, userNameOf } from "./slack-messages.ts";

type ReactionArguments = SlackEventMiddlewareArgs<"reaction_added"> & AllMiddlewareArgs;

const regenerateReactions = new Set(["repeat", "arrows_counterclockwise"]);
const cancelReactions = new Set(["x"]);

/**
 * :repeat: on a status card or result regenerates for the reacting user, in the same thread; :x:
 * by the requester cancels a pending job. The job is read from the message itself and looked up
 * in the store, so reactions keep working after a restart.
 */
export async function handleReaction(
  context: SlackContext,
  { event, body }: ReactionArguments,
): Promise<void> {
  const wantsRegenerate = regenerateReactions.has(event.reaction);
  if (!wantsRegenerate && !cancelReactions.has(event.reaction)) return;
  if (event.item.type !== "message") return;
  const { botUserId } = context.identity;
  if (
    botUserId &&
    (event.user === botUserId || (event.item_user && event.item_user !== botUserId))
  ) {
    return;
  }
  // A retry, here or on another instance, is dropped; one that outlives the claim finds the first
  // job through the idempotency key.
  if (!(await context.service.isFirstDelivery(platform, `event:${body.event_id}`))) return;
  const { channel, ts } = event.item;
  const message = await fetchMessage(context, channel, ts);
  const jobId = message ? jobIdOfBotMessage(context, message) : undefined;
  if (!message || !jobId) return;
  const name = wantsRegenerate ? await userNameOf(context, event.user) : undefined;
  const actor = actorOf({ id: event.user, name });
  const threadTs = threadOf(message);
  try {
    if (wantsRegenerate) {
      await context.service.regenerate(jobId, actor, {
        // The parent's requester name must not carry over to someone else's job.
        origin: { threadId: threadTs, userId: event.user, userName: name ?? "" },
        idempotencyKey: `event:${body.event_id}`,
      });
    } else {
      await context.service.cancel(jobId, actor);
    }
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    // A reaction has no reply of its own; the refusal is shown to that user only.
    await ephemeralReply(context, { channelId: channel, threadTs, userId: event.user })(
      error.message,
    );
  }
}
