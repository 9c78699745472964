import { Routes } from "discord.js";
import { z } from "zod";
import { destinationsOf } from "../../src/chat/job-destinations.ts";
import type { JobOrigin } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { toPlatformError } from "./discord-errors.ts";
import { askingMessageIdOf, deliveryChannelOf } from "./to-request.ts";

const channelSchema = z.looseObject({ id: z.string() });

/** Where the video goes, as the core decided, and the message it answers there (if any). */
export interface VideoPlace {
  channelId: string;
  replyTo?: string | undefined;
  direct: boolean;
}

/**
 * The job's thread or channel, or for a private job the requester's direct-message channel
 * (`POST /users/@me/channels`, which returns the existing one when there is one).
 */
export async function videoPlaceOf(
  context: AdapterContext,
  origin: JobOrigin,
  statusMessageId?: string,
): Promise<VideoPlace> {
  if (destinationsOf(origin).video === "channel") {
    return {
      channelId: deliveryChannelOf(origin),
      replyTo: askingMessageIdOf(origin) ?? statusMessageId,
      direct: false,
    };
  }
  const answer = await context.client.rest
    .post(Routes.userChannels(), { body: { recipient_id: origin.userId } })
    .catch((error: unknown) => {
      throw toPlatformError(error, "open a direct message with the requester");
    });
  return { channelId: channelSchema.parse(answer).id, direct: true };
}
