import { GuildPremiumTier, Routes } from "discord.js";
import type { DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import { boundedExcerpt } from "../../src/chat/excerpt.ts";
import { destinationsOf } from "../../src/chat/job-destinations.ts";
import { readyLine } from "../../src/chat/job-summary.ts";
import { PlatformError } from "../../src/errors.ts";
import type { Job, JobOrigin } from "../../src/jobs/job.ts";
import type { AdapterContext } from "./adapter-context.ts";
import { isTooLarge, toPlatformError } from "./discord-errors.ts";
import { resultButtons } from "./job-links.ts";
import { literalPrompt } from "./literal-prompt.ts";
import { fitContent } from "./message-limits.ts";
import { interactionIdOf, platform } from "./to-request.ts";
import { type UploadFile, uploadBody } from "./upload-body.ts";
import { videoPlaceOf } from "./video-channel.ts";

const mebibyte = 1024 * 1024;
export const defaultUploadLimitBytes = 10 * mebibyte;
const tierLimits: Partial<Record<GuildPremiumTier, number>> = {
  [GuildPremiumTier.Tier2]: 50 * mebibyte,
  [GuildPremiumTier.Tier3]: 100 * mebibyte,
};

/** The interaction's own limit, else the server's boost tier, else Discord's default 10 MiB. */
export function uploadLimitBytes(
  context: AdapterContext,
  origin: JobOrigin,
  fromInteraction = context.tokens.known(interactionIdOf(origin))?.attachmentSizeLimit,
): number {
  // A direct message is not where the interaction was; it gets Discord's default.
  if (destinationsOf(origin).video === "direct-message") return defaultUploadLimitBytes;
  if (fromInteraction) return fromInteraction;
  const tier = origin.spaceId
    ? context.client.guilds.cache.get(origin.spaceId)?.premiumTier
    : undefined;
  return (tier === undefined ? undefined : tierLimits[tier]) ?? defaultUploadLimitBytes;
}

function posterFile(job: Job, poster: { path: string; sizeBytes: number }): UploadFile {
  return { ...poster, fileName: `poster-${job.id}.jpg`, contentType: "image/jpeg" };
}

function size(bytes: number): string {
  if (bytes < mebibyte) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${Math.round((bytes / mebibyte) * 10) / 10} MB`;
}

/** The result's first line: the requester, "your video is ready" and a short quote of the prompt. */
export function resultHeading(job: Job): string {
  return `<@${job.origin.userId}> ${readyLine(job)}: *${literalPrompt(boundedExcerpt(job.request.prompt, 180))}*`;
}

/** The result posted as a link when the video is too large to upload here. */
export function linkContent(job: Job, link: string, note: string): string {
  return fitContent(`${resultHeading(job)}\n${link}\n-# ${note}`);
}

/** The attached copy's line: how the core made it smaller, and the original's link beside it. */
function fittedContent(job: Job, note: string, link: string | undefined): string {
  return fitContent(`${resultHeading(job)}\n-# ${note}.${link ? ` Original: <${link}>` : ""}`);
}

/**
 * Posts the finished video in the job's thread or channel (a private job's in the requester's
 * direct messages), replying to what asked for it and pinging only the requester: the MP4 itself when it fits (or the smaller copy the core made,
 * with the original's link), else a link with a one-line note and the poster frame.
 */
export async function deliver(
  context: AdapterContext,
  job: Job,
  video: DeliverableVideo,
): Promise<void> {
  const { client } = context;
  const { channelId, replyTo } = await videoPlaceOf(context, job.origin, job.statusMessageId);
  const heading = resultHeading(job);
  const base = {
    allowed_mentions: { users: [job.origin.userId], parse: [], replied_user: false },
    components: resultButtons(job),
    ...(replyTo ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {}),
  };
  // The interaction may have reached another instance: its limit is read from the shared store.
  const remembered = await context.tokens.recall(interactionIdOf(job.origin));
  const limit = uploadLimitBytes(context, job.origin, remembered?.attachmentSizeLimit);
  const fit = video.fit;
  if (fit?.kind !== "link" && video.sizeBytes <= limit) {
    try {
      const content =
        fit?.kind === "reencoded"
          ? fittedContent(job, fit.note, (await context.videoLink(job)) ?? job.resultUrl)
          : heading;
      const upload = uploadBody({ ...base, content }, video);
      await client.rest.post(Routes.channelMessages(channelId), {
        body: upload.body,
        headers: upload.headers,
        passThroughBody: true,
      });
      return;
    } catch (error) {
      if (!isTooLarge(error)) {
        context.metrics.deliveryFailed(platform, "upload_error");
        throw toPlatformError(error, "upload the video");
      }
    }
  }
  context.metrics.deliveryFailed(platform, "too_large");
  const ownLink = await context.videoLink(job);
  const link = ownLink ?? job.resultUrl;
  if (!link) {
    context.metrics.deliveryFailed(platform, "no_link");
    throw new PlatformError({
      message: `The video is ${size(video.sizeBytes)}, over this channel's ${size(limit)} upload limit, and there is no link to share.`,
      platform: "discord",
      retryable: false,
    });
  }
  const expiry = ownLink ? "" : " (provider links expire after about a day)";
  const reason =
    fit?.kind === "link"
      ? fit.note
      : `It is ${size(video.sizeBytes)}, over this channel's ${size(limit)} upload limit, so here is a link instead`;
  const body = { ...base, content: linkContent(job, link, `${reason}${expiry}.`) };
  try {
    if (!video.poster) {
      await client.rest.post(Routes.channelMessages(channelId), { body });
      return;
    }
    // The poster goes with the link, so the channel shows what the video looks like.
    const poster = posterFile(job, video.poster);
    const upload = uploadBody(
      { ...body, embeds: [{ image: { url: `attachment://${poster.fileName}` } }] },
      poster,
    );
    await client.rest.post(Routes.channelMessages(channelId), {
      body: upload.body,
      headers: upload.headers,
      passThroughBody: true,
    });
  } catch (error) {
    context.metrics.deliveryFailed(platform, "link_error");
    throw toPlatformError(error, "post the video link");
  }
}
