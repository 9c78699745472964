import { Routes } from "discord.js";
import { z } from "zod";
import type { Job } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { ChannelHistory, pageSize, type SeenMessage } from "./channel-history.ts";
import { toPlatformError } from "./discord-errors.ts";
import { customId } from "./job-links.ts";
import { videoPlaceOf } from "./video-channel.ts";

const messageSchema = z.looseObject({
  id: z.string(),
  author: z.looseObject({ id: z.string() }),
  components: z
    .array(
      z.looseObject({
        components: z.array(z.looseObject({ custom_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});
type ChannelMessage = z.infer<typeof messageSchema>;
const userSchema = z.looseObject({ id: z.string() });

const askedBotIds = new WeakMap<AdapterContext["client"], Promise<string>>();

/**
 * The bot's user id: known once logged in; before that (deliveries resumed at start-up), asked
 * once per client and remembered, however many deliveries are checked.
 */
function botUserId(context: AdapterContext): Promise<string> {
  const known = context.client.user?.id;
  if (known) return Promise.resolve(known);
  const asked = askedBotIds.get(context.client);
  if (asked) return asked;
  const asking = context.client.rest.get(Routes.user()).then(
    (user) => userSchema.parse(user).id,
    (error: unknown) => {
      askedBotIds.delete(context.client);
      throw toPlatformError(error, "read the bot's own user");
    },
  );
  askedBotIds.set(context.client, asking);
  return asking;
}

function customIdsOf(message: ChannelMessage): string[] {
  return (message.components ?? []).flatMap((row) =>
    (row.components ?? []).flatMap((component) => component.custom_id ?? []),
  );
}

/** One page of the channel's messages after `after` (the latest page without it). */
async function readPage(
  context: AdapterContext,
  channelId: string,
  limit: number,
  after?: string,
): Promise<SeenMessage[]> {
  const query = new URLSearchParams({ limit: String(limit), ...(after ? { after } : {}) });
  const answer = await context.client.rest
    .get(Routes.channelMessages(channelId), { query })
    .catch((error: unknown) => {
      throw toPlatformError(error, "read the channel's messages");
    });
  return z
    .array(messageSchema)
    .parse(answer)
    .map((message) => ({
      id: message.id,
      authorId: message.author.id,
      customIds: customIdsOf(message),
    }));
}

/**
 * True when the job's result is already in its thread or channel: a message by the bot, after the
 * message that asked (else the job's card), with the job's Regenerate button. Only results carry
 * that button while a job is being delivered (a card shows it only once a job failed or was
 * cancelled). Looks up to 200 messages forward from there, in pages of 100 that every delivery
 * resumed in the same channel shares (`ChannelHistory`): a recovery of many jobs in one thread
 * costs a few reads, not one per job.
 */
export async function findDelivery(context: AdapterContext, job: Job): Promise<boolean> {
  const { channelId, replyTo } = await videoPlaceOf(context, job.origin, job.statusMessageId);
  const botId = await botUserId(context);
  const marker = customId("regenerate", job.id);
  if (!replyTo) {
    // Without a starting point there is only the latest page to read.
    const latest = await readPage(context, channelId, pageSize);
    return latest.some(
      (message) => message.authorId === botId && message.customIds.includes(marker),
    );
  }
  const history = context.memory.historyOf(
    channelId,
    () =>
      new ChannelHistory(
        (after, limit) => readPage(context, channelId, limit, after),
        botId,
        context.now(),
      ),
  );
  return await history.ask({ after: replyTo, marker, except: job.statusMessageId }, context.now());
}
