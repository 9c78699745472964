import { createReadStream } from "node:fs";
import { request } from "undici";
import { z } from "zod";
import type { DeliverableVideo } from "../../src/chat/chat-adapter.ts";
import { destinationsOf } from "../../src/chat/job-destinations.ts";
import { errorMessage, PlatformError } from "../../src/errors.ts";
import type { Job } from "../../src/jobs/job.ts";
import type { DeliveryFailureCause } from "../../src/observability/chat-metrics.ts";
import { deliveryHeading, linkLifetime, linkMessage } from "./delivery-messages.ts";
import { jobFooter } from "./job-actions.ts";
import { platform, type SlackContext } from "./slack-context.ts";
import { slackErrorCode, toPlatformError } from "./slack-errors.ts";

/** Slack's limit for one file. */
export const slackUploadLimitBytes = 1024 ** 3;
/** Refusals that a link gets around; anything else is retried or reported. */
const refusedUploads = new Set([
  "file_upload_size_restricted",
  "file_uploads_disabled",
  "file_uploads_except_images_disabled",
  "file_too_large",
]);
const uploadUrlSchema = z.object({ upload_url: z.url(), file_id: z.string().min(1) });

export interface Place {
  channel: string;
  threadTs: string | undefined;
}

function size(bytes: number): string {
  const mebibyte = 1024 * 1024;
  if (bytes < mebibyte) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${Math.round((bytes / mebibyte) * 10) / 10} MB`;
}

const openedSchema = z.looseObject({ channel: z.looseObject({ id: z.string().min(1) }) });

/**
 * The thread the answer goes to: where it was asked, else under the job's own status card; for a
 * private job, the requester's direct messages (`conversations.open` gives the same one again).
 */
export async function placeOf(context: SlackContext, job: Job): Promise<Place> {
  if (destinationsOf(job.origin).video === "direct-message") {
    const opened = await context.client.conversations
      .open({ users: job.origin.userId })
      .catch((error: unknown) => {
        throw toPlatformError(error, "open a direct message with the requester");
      });
    return { channel: openedSchema.parse(opened).channel.id, threadTs: undefined };
  }
  const card = job.statusMessageId ?? (await context.service.getJob(job.id))?.statusMessageId;
  return { channel: job.origin.channelId, threadTs: job.origin.threadId ?? card };
}

/** Slack refused the file itself (too large, uploads off): a link can still be shared. */
class UploadRefused extends Error {}

async function postBytes(context: SlackContext, url: string, video: UploadFile): Promise<void> {
  const response = await request(url, {
    ...(context.files.dispatcher ? { dispatcher: context.files.dispatcher } : {}),
    method: "POST",
    headers: { "content-type": video.contentType, "content-length": String(video.sizeBytes) },
    body: createReadStream(video.path),
  }).catch((error: unknown) => {
    throw new PlatformError({
      message: `Slack upload failed: ${errorMessage(error)}`,
      platform: "slack",
      cause: error,
    });
  });
  await response.body.dump();
  if (response.statusCode === 413) throw new UploadRefused("file_too_large");
  if (response.statusCode !== 200) {
    throw new PlatformError({
      message: `Slack refused the upload (HTTP ${response.statusCode}).`,
      platform: "slack",
      statusCode: response.statusCode,
      retryable: response.statusCode === 429 || response.statusCode >= 500,
    });
  }
}

/** The external upload: ask for a URL, send the bytes there, then share the file in the thread. */
type UploadFile = Pick<DeliverableVideo, "path" | "sizeBytes" | "contentType" | "fileName">;

async function upload(context: SlackContext, place: Place, video: UploadFile, comment: string) {
  const { client } = context;
  const ticket = uploadUrlSchema.parse(
    await client.files.getUploadURLExternal({ filename: video.fileName, length: video.sizeBytes }),
  );
  await postBytes(context, ticket.upload_url, video);
  await client.files.completeUploadExternal({
    files: [{ id: ticket.file_id, title: video.fileName }],
    channel_id: place.channel,
    ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
    initial_comment: comment,
  });
}

/**
 * Posts the finished video in the job's thread, mentioning only the requester: the MP4 itself
 * when Slack takes it, else a link with a one-line note saying why.
 */
export async function deliver(
  context: SlackContext,
  job: Job,
  video: DeliverableVideo,
): Promise<void> {
  const place = await placeOf(context, job);
  const heading = deliveryHeading(job);
  const limit = context.uploadLimitBytes;
  const fit = video.fit;
  let reason =
    fit?.kind === "link"
      ? fit.note
      : `It is ${size(video.sizeBytes)}, over Slack's ${size(limit)} file limit`;
  let cause: DeliveryFailureCause = "too_large";
  let refused = false;
  if (fit?.kind !== "link" && video.sizeBytes <= limit) {
    try {
      await upload(context, place, video, await commentFor(context, job, heading, video));
      return;
    } catch (error) {
      const code = error instanceof UploadRefused ? error.message : slackErrorCode(error);
      if (!code || !refusedUploads.has(code)) {
        context.metrics.deliveryFailed(platform, "upload_error");
        throw toPlatformError(error, "upload the video");
      }
      reason = `Slack did not take the ${size(video.sizeBytes)} file here (${code})`;
      refused = true;
      if (code.startsWith("file_uploads")) cause = "uploads_disabled";
    }
  }
  context.metrics.deliveryFailed(platform, cause);
  await postLink(context, job, place, { heading, reason, poster: video.poster, refused });
}

/** The file's comment; a copy the core made smaller says so, with the original's link. */
async function commentFor(
  context: SlackContext,
  job: Job,
  heading: string,
  video: DeliverableVideo,
): Promise<string> {
  if (video.fit?.kind !== "reencoded") return `${heading}\n${jobFooter(job.id)}`;
  const link = (await context.videoLink(job))?.url ?? job.resultUrl;
  const original = link ? ` <${link}|Download the original>` : "";
  return `${heading}\n${video.fit.note}.${original}\n${jobFooter(job.id)}`;
}

async function postLink(
  context: SlackContext,
  job: Job,
  place: Place,
  text: {
    heading: string;
    reason: string;
    poster: DeliverableVideo["poster"];
    /** Slack refused a file here just now: the poster is not uploaded either. */
    refused: boolean;
  },
): Promise<void> {
  const own = await context.videoLink(job);
  const link = own?.url ?? job.resultUrl;
  if (!link) {
    context.metrics.deliveryFailed(platform, "no_link");
    throw new PlatformError({
      message: `${text.reason}, and there is no link to share.`,
      platform: "slack",
      retryable: false,
    });
  }
  const lifetime = linkLifetime(own, job, context.now());
  const instead = text.reason.endsWith("link instead") ? "." : ", so here is a link instead.";
  const note = `${text.reason}${instead}${lifetime ? ` ${lifetime}` : ""}`;
  const posterUrl = text.poster ? await context.posterLink(job) : undefined;
  // Without a public poster link, the poster JPEG itself carries the link in its comment.
  if (text.poster && !posterUrl && !text.refused) {
    const sent = await uploadPoster(context, job, place, text.poster, {
      comment: `${text.heading}\n<${link}|⬇️ Download the video>\n${note} ${jobFooter(job.id)}`,
    });
    if (sent) return;
  }
  try {
    await context.client.chat.postMessage({
      channel: place.channel,
      ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
      ...linkMessage(job, { heading: text.heading, link, note, posterUrl }),
      unfurl_links: false,
    });
  } catch (error) {
    context.metrics.deliveryFailed(platform, "link_error");
    throw toPlatformError(error, "post the video link");
  }
}

/** The poster uploaded with the link message as its comment; false when Slack refuses files here. */
async function uploadPoster(
  context: SlackContext,
  job: Job,
  place: Place,
  poster: NonNullable<DeliverableVideo["poster"]>,
  text: { comment: string },
): Promise<boolean> {
  const file = {
    ...poster,
    fileName: `poster-${job.id}.jpg`,
    contentType: "image/jpeg",
  };
  try {
    await upload(context, place, file, text.comment);
    return true;
  } catch (error) {
    const code = error instanceof UploadRefused ? error.message : slackErrorCode(error);
    if (code && refusedUploads.has(code)) return false;
    context.metrics.deliveryFailed(platform, "link_error");
    throw toPlatformError(error, "post the video link with its poster");
  }
}
