import { UserFacingError } from "../errors.ts";
import type { Job } from "../jobs/job.ts";
import type { Actor } from "./generation-service-port.ts";
import type { ServiceContext } from "./service-context.ts";

/**
 * Cancels a job its owner may cancel: a waiting one is simply dropped; a queued or running one is
 * cancelled at the provider first (the provider sends no event for it).
 */
export async function cancelJob(context: ServiceContext, job: Job, by: Actor): Promise<Job> {
  const { store, provider, now } = context;
  const who = by.userName ?? "its requester";
  if (job.state === "submitting") {
    throw new UserFacingError(
      `Job ${job.id} is still being sent to the provider; try cancelling again in a few seconds.`,
    );
  }
  if (job.state !== "waiting" && job.state !== "queued" && job.state !== "running") {
    throw new UserFacingError(
      `Job ${job.id} is already ${job.state.replace("_", " ")}; there is nothing to cancel.`,
    );
  }
  if (job.state !== "waiting" && job.providerJobId) await provider.cancel(job.providerJobId);
  const cancelled = await store.transition(job.id, {
    from: job.state === "waiting" ? ["waiting"] : ["queued", "running"],
    to: "cancelled",
    patch: {
      completedAt: now(),
      error:
        job.state === "waiting" ? `Cancelled by ${who} before it started.` : `Cancelled by ${who}.`,
    },
  });
  if (cancelled) context.changed(cancelled);
  return cancelled ?? (await store.get(job.id)) ?? job;
}
