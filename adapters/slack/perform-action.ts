import type { CommandAction } from "../../commands/index.ts";
import { recentPosters } from "../../src/chat/job-gallery.ts";
import type { GenerationRequestInput } from "../../src/domain/generation-request.ts";
import type { Job, JobOrigin } from "../../src/jobs/job.ts";
import { jobsBlocks, listJobs } from "./jobs-list.ts";
import { actorOf, type SlackUser } from "./origins.ts";
import { publishSlackMedia } from "./publish-media.ts";
import { errorText, type Reply } from "./replies.ts";
import { notInWorkspace, saveSettings, showSettings } from "./settings-reply.ts";
import { platform, type SlackContext } from "./slack-context.ts";
import { promptExcerpt } from "./slack-text.ts";
import { usageReply } from "./usage-reply.ts";

export interface Submission {
  origin: JobOrigin;
  /** The event, trigger or view id: the same key twice yields the first job, not a second. */
  idempotencyKey?: string;
  parentJobId?: string;
  /** Sent from a command's form (a saved `/settings` form replaces the whole set). */
  fromForm?: boolean;
  /** Independent generations of the request (`--takes`); one without it. */
  takes?: number;
  reply: Reply;
}

/**
 * Publishes the request's Slack files, then submits it. The service posts the status card; only
 * what goes wrong is answered here, privately.
 */
export async function submitRequest(
  context: SlackContext,
  request: GenerationRequestInput | (() => Promise<GenerationRequestInput>),
  submission: Submission,
): Promise<Job | undefined> {
  try {
    const input = typeof request === "function" ? await request() : request;
    const ready = await publishSlackMedia(context, input);
    let job: Job;
    try {
      job = await context.service.submit(ready.request, submission.origin, {
        ...(submission.idempotencyKey ? { idempotencyKey: submission.idempotencyKey } : {}),
        ...(submission.parentJobId ? { parentJobId: submission.parentJobId } : {}),
        ...(submission.takes ? { takes: submission.takes } : {}),
      });
    } catch (error) {
      await ready.release();
      throw error;
    }
    // A retried event finds the first job, which uses the first copies of the files.
    const used = JSON.stringify(job.request);
    if (ready.urls.some((url) => !used.includes(url))) await ready.release();
    return job;
  } catch (error) {
    await submission.reply(errorText(error, context.logger, "submit"));
    return undefined;
  }
}

/** Runs a command's action for a user: generate, list their jobs, cancel one, or show usage. */
export async function performAction(
  context: SlackContext,
  action: CommandAction,
  user: SlackUser,
  submission: Submission,
): Promise<void> {
  if (action.kind === "generate") {
    const origin = { ...submission.origin, ...(action.private ? { private: true } : {}) };
    const takes = action.takes ? { takes: action.takes } : {};
    await submitRequest(context, action.request, { ...submission, origin, ...takes });
    return;
  }
  try {
    if (action.kind === "cancel") {
      const job = await context.service.cancel(action.jobId, actorOf(user));
      await submission.reply(
        `Cancelled job \`${job.id}\`: ${promptExcerpt(job.request.prompt, 80)}`,
      );
      return;
    }
    if (action.kind === "usage") {
      const teamId = submission.origin.spaceId;
      await submission.reply(await usageReply(context, action.scope, user, teamId));
      return;
    }
    if (action.kind === "settings") {
      const teamId = submission.origin.spaceId;
      if (!teamId) return await submission.reply(notInWorkspace);
      const empty = Object.keys(action.patch).length === 0 && !submission.fromForm;
      await submission.reply(
        empty
          ? await showSettings(context, teamId)
          : await saveSettings(context, user, teamId, action.patch),
      );
      return;
    }
    const jobs = await context.service.jobsFor(platform, user.id, 10);
    await replyWithJobs(context, submission, jobs);
  } catch (error) {
    await submission.reply(errorText(error, context.logger, action.kind));
  }
}

/** `/jobs`: the list, with the posters of recent results when Slack can fetch them. */
async function replyWithJobs(
  context: SlackContext,
  submission: Submission,
  jobs: readonly Job[],
): Promise<void> {
  const list = listJobs(jobs);
  const posters = [];
  for (const item of await recentPosters(jobs)) {
    const url = await context.posterLink(item.job);
    if (url) posters.push({ item, url });
  }
  await submission.reply(list, posters.length > 0 ? jobsBlocks(list, posters) : undefined);
}
