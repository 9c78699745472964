import type { Job } from "../../src/jobs/job.ts";
import { placeOf } from "./delivery.ts";
import { ensureIdentity, isCard, messagesWhereDelivered } from "./find-delivery.ts";
import { jobIdInMessage } from "./job-actions.ts";
import type { SlackContext } from "./slack-context.ts";
import { isOwnMessage } from "./slack-messages.ts";

/**
 * The `ts` of the job's card when an earlier process posted it but died before storing its id, so
 * a restart edits that card instead of posting a second one. Only jobs made before this process
 * started are looked for (one thread read each); a failed read posts a new card as before.
 */
export async function findOrphanCard(context: SlackContext, job: Job): Promise<string | undefined> {
  if (job.statusMessageId || job.createdAt >= context.startedAt) return undefined;
  try {
    await ensureIdentity(context);
    const place = await placeOf(context, job);
    const messages = await messagesWhereDelivered(context, place.channel, place.threadTs);
    const card = messages.find(
      (message) =>
        isCard(message) && isOwnMessage(context, message) && jobIdInMessage(message) === job.id,
    );
    return card?.ts;
  } catch (error) {
    context.logger.warn({ err: error, jobId: job.id }, "Could not look for an earlier status card");
    return undefined;
  }
}
