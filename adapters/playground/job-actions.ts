import { extendOverrides } from "../../commands/extend.ts";
import { UserFacingError } from "../../src/errors.ts";
import type { Job } from "../../src/jobs/job.ts";
import { failureAnswer } from "./answers.ts";
import type { JobAction } from "./api-schemas.ts";
import { type Answer, localUser, type PlaygroundContext, platform } from "./playground-context.ts";

async function ownJob(context: PlaygroundContext, jobId: string): Promise<Job> {
  const job = await context.service.getJob(jobId);
  if (!job || job.origin.platform !== platform) {
    throw new UserFacingError(`No job ${jobId}; use /jobs to see yours.`, {
      code: "JOB_NOT_FOUND",
    });
  }
  return job;
}

/**
 * Regenerate (🔁, the button) makes a new job with a new seed in the same thread; Cancel (❌, the
 * button) stops a pending one. A refusal is shown in the job's thread.
 */
export async function runJobAction(
  context: PlaygroundContext,
  body: JobAction,
  reaction?: string,
): Promise<Answer> {
  let threadId = "";
  try {
    const job = await ownJob(context, body.jobId);
    threadId = job.origin.threadId ?? job.origin.channelId;
    if (reaction) {
      context.react(job.id, reaction);
      context.timeline.upsert(context.card(job));
    }
    const next = await act(context, job, body);
    const card = context.card(next);
    context.timeline.upsert(card);
    return { status: 200, entries: [card] };
  } catch (error) {
    if (!threadId) throw error;
    const place = { id: `error-${body.clientRequestId}`, threadId, replyTo: `card-${body.jobId}` };
    return failureAnswer(context, error, place);
  }
}

function act(context: PlaygroundContext, job: Job, body: JobAction): Promise<Job> {
  const idempotencyKey = `${body.action}:${body.clientRequestId}`;
  if (body.action === "regenerate")
    return context.service.regenerate(job.id, localUser, { idempotencyKey });
  if (body.action === "extend") {
    const overrides = extendOverrides(body.text ?? "");
    return context.service.extend(job.id, localUser, { ...overrides, idempotencyKey });
  }
  if (body.action === "stitch")
    return context.service.stitch(job.id, localUser, { idempotencyKey });
  if (body.action === "upscale")
    return context.service.upscale(job.id, localUser, { idempotencyKey });
  return context.service.cancel(job.id, localUser);
}
