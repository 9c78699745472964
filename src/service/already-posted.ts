import type { Job } from "../jobs/job.ts";
import type { ServiceContext } from "./service-context.ts";

/**
 * Whether the job's chat already shows its video, by the adapter's `findDelivery`. An adapter
 * without one, or one that cannot tell (its error is logged), counts as "not posted": the video is
 * posted (again) rather than never.
 */
export async function isAlreadyPosted(context: ServiceContext, job: Job): Promise<boolean> {
  const { adapters, logger } = context;
  const adapter = adapters.get(job.origin.platform);
  if (!adapter?.findDelivery) return false;
  try {
    const found = await adapter.findDelivery(job);
    if (found) logger.info({ jobId: job.id }, "the video is already posted; not posting it again");
    return found;
  } catch (error) {
    logger.warn({ jobId: job.id, err: error }, "could not check for an earlier post; posting");
    return false;
  }
}
