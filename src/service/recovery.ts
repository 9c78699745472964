import type { JobOrigin } from "../jobs/job.ts";
import type { Delivery } from "./delivery.ts";
import type { ServiceContext } from "./service-context.ts";
import { resolveUnknownOutcome } from "./submission.ts";
import type { Sweep } from "./sweep.ts";

/**
 * Start-up resumes every unfinished job, as a normal code path: creates that were in flight are
 * looked for (never re-sent), finished videos are delivered, pending jobs are reconciled, and
 * users' waiting jobs start where there is room.
 */
export async function recoverJobs(
  context: ServiceContext,
  parts: {
    delivery: Delivery;
    sweep: Sweep;
    /** Starts a user's waiting jobs if they have room. */
    advance: (origin: Pick<JobOrigin, "platform" | "userId">) => Promise<void>;
  },
): Promise<void> {
  const { store, logger } = context;
  const unfinished = await store.listByStates(["submitting", "succeeded", "delivering"]);
  if (unfinished.length > 0) logger.info({ count: unfinished.length }, "resuming unfinished jobs");
  const submissions: Promise<unknown>[] = [];
  for (const job of unfinished) {
    if (job.state === "submitting") submissions.push(resolveUnknownOutcome(context, job));
    else parts.delivery.start(job);
  }
  await parts.sweep.run();
  const waiting = await store.listByStates(["waiting"]);
  const users = new Map(
    waiting.map((job) => [`${job.origin.platform}:${job.origin.userId}`, job.origin]),
  );
  for (const origin of users.values()) await parts.advance(origin);
  // Creates still being looked for keep going in the background; start-up does not wait on them.
  void Promise.allSettled(submissions);
}
