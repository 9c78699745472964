import { Routes } from "discord.js";
import { z } from "zod";
import type { Job } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { toPlatformError } from "./discord-errors.ts";
import { customId } from "./job-links.ts";
import { videoPlaceOf } from "./video-channel.ts";

const pageSize = 50;
/** Results come minutes after the card; four pages of chatter in between is already a lot. */
const maxPages = 4;

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

function newest(messages: readonly ChannelMessage[]): string | undefined {
  let found: bigint | undefined;
  for (const message of messages) {
    const id = BigInt(message.id);
    if (found === undefined || id > found) found = id;
  }
  return found?.toString();
}

/**
 * True when the job's result is already in its thread or channel: a message by the bot, after the
 * message that asked (else the job's card), with the job's Regenerate button. Only results carry
 * that button while a job is being delivered (a card shows it only once a job failed or was
 * cancelled). Reads pages of 50 messages forward from there, at most four.
 */
export async function findDelivery(context: AdapterContext, job: Job): Promise<boolean> {
  const { channelId, replyTo } = await videoPlaceOf(context, job.origin, job.statusMessageId);
  const botId = await botUserId(context);
  const marker = customId("regenerate", job.id);
  let after = replyTo;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ limit: String(pageSize), ...(after ? { after } : {}) });
    const answer = await context.client.rest
      .get(Routes.channelMessages(channelId), { query })
      .catch((error: unknown) => {
        throw toPlatformError(error, "read the channel's messages");
      });
    const messages = z.array(messageSchema).parse(answer);
    const posted = messages.some(
      (message) =>
        message.author.id === botId &&
        message.id !== job.statusMessageId &&
        customIdsOf(message).includes(marker),
    );
    if (posted) return true;
    // Without a starting point there is only the latest page to read.
    if (!after || messages.length < pageSize) return false;
    after = newest(messages);
  }
  return false;
}
