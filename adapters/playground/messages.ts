import type { CommandAction, IncomingMedia, UsageScope } from "../../commands/index.ts";
import { usageText, usageView } from "../../src/chat/usage-summary.ts";
import type { MediaInput } from "../../src/domain/generation-request.ts";
import { UserFacingError } from "../../src/errors.ts";
import { failureAnswer } from "./answers.ts";
import type { SendMessage } from "./api-schemas.ts";
import type { AttachmentView, Entry, MessageEntry } from "./entries.ts";
import {
  type Answer,
  localUser,
  originFor,
  type PlaygroundContext,
  platform,
} from "./playground-context.ts";
import { toAction } from "./to-action.ts";

function incoming(media: MediaInput): IncomingMedia {
  const { hasFace: _hasFace, ...rest } = media;
  return rest;
}

/** Remix: the prompt and inputs of one of the user's own playground jobs. */
async function repliedTo(context: PlaygroundContext, jobId: string) {
  const job = await context.service.getJob(jobId);
  if (!job || job.origin.platform !== platform) {
    throw new UserFacingError(`No job ${jobId}; use /jobs to see yours.`, {
      code: "JOB_NOT_FOUND",
    });
  }
  const { request } = job;
  const inputs = [
    ...(request.startImage ? [request.startImage] : []),
    ...(request.endImage ? [request.endImage] : []),
    ...request.referenceImages,
    ...request.referenceVideos,
    ...request.referenceAudios,
  ];
  return { prompt: request.prompt, attachments: inputs.map(incoming) };
}

/** `/usage`: the local user is the playground's only user, and its admin. */
async function usage(context: PlaygroundContext, scope: UsageScope): Promise<string> {
  const view = await usageView(
    context.service,
    { platform, userId: localUser.userId, scope: "user", spaceName: "playground" },
    context.now(),
  );
  const title = "📊 This playground's usage today (you are its only user)";
  return usageText(scope === "server" ? { ...view, title } : view, (line) => line);
}

async function perform(
  context: PlaygroundContext,
  action: CommandAction,
  body: SendMessage,
  replyTo: string,
): Promise<Entry> {
  const { service } = context;
  const place = { threadId: body.threadId, at: context.now(), replyTo };
  if (action.kind === "generate") {
    const takes = body.takes ?? action.takes;
    const job = await service.submit(
      action.request,
      originFor(body.threadId, body.clientRequestId),
      {
        idempotencyKey: body.clientRequestId,
        ...(takes === undefined ? {} : { takes }),
      },
    );
    return context.card(job);
  }
  if (action.kind === "list-jobs") {
    const jobs = await service.jobsFor(platform, localUser.userId, 10);
    return {
      kind: "jobs",
      id: `jobs-${body.clientRequestId}`,
      ...place,
      jobs: jobs.map((job) => {
        const card = context.card(job);
        return {
          jobId: job.id,
          phase: card.phase,
          prompt: card.prompt,
          threadId: card.threadId,
          at: card.at,
        };
      }),
    };
  }
  if (action.kind === "usage") {
    return {
      kind: "notice",
      id: `usage-${body.clientRequestId}`,
      ...place,
      text: await usage(context, action.scope),
    };
  }
  if (action.kind === "settings") {
    return {
      kind: "notice",
      id: `settings-${body.clientRequestId}`,
      ...place,
      text: "/settings is for a Discord server or Slack workspace; the playground uses the bot's own settings.",
    };
  }
  const job = await service.cancel(action.jobId, localUser);
  context.timeline.upsert(context.card(job));
  return {
    kind: "notice",
    id: `notice-${body.clientRequestId}`,
    ...place,
    text: `Cancelled job ${job.id}.`,
  };
}

/** `/api/messages`: shows the message, runs what it asks, and shows the answer in its thread. */
export async function sendMessage(context: PlaygroundContext, body: SendMessage): Promise<Answer> {
  const id = `message-${body.clientRequestId}`;
  const show = (attachments: AttachmentView[]): MessageEntry => {
    const message: MessageEntry = {
      kind: "message",
      id,
      threadId: body.threadId,
      at: context.now(),
      text: body.text,
      attachments,
      ...(body.replyToJobId ? { replyToJobId: body.replyToJobId } : {}),
    };
    context.timeline.upsert(message);
    return message;
  };
  let message: MessageEntry | undefined;
  try {
    const uploads = context.uploads.take(body.attachmentIds);
    message = show(uploads.views);
    const replied = body.replyToJobId ? await repliedTo(context, body.replyToJobId) : undefined;
    const action = toAction({
      text: body.text,
      attachments: uploads.media,
      ...(replied ? { replied } : {}),
    });
    const answer = await perform(context, action, body, id);
    context.timeline.upsert(answer);
    return { status: 200, entries: [message, answer] };
  } catch (error) {
    message ??= show([]);
    const place = { id: `error-${body.clientRequestId}`, threadId: body.threadId, replyTo: id };
    return failureAnswer(context, error, place, [message]);
  }
}
