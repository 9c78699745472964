import { expiredInputs, expiredInputsMessage, inputLinkMarginMs } from "../domain/media-expiry.ts";
import { ProviderError } from "../errors.ts";
import type { Job } from "../jobs/job.ts";
import type { SubmitInput } from "../providers/generation-provider.ts";
import { backoffDelay } from "../util/backoff.ts";
import { describeSubmitError, unknownOutcomeMessage } from "./failure-messages.ts";
import type { ServiceContext } from "./service-context.ts";

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export function submitInputFor(context: ServiceContext, job: Job): SubmitInput {
  const entry = context.provider.catalog[job.request.mode][job.request.tier];
  return { jobId: job.id, model: entry, request: job.request, createdAt: job.createdAt };
}

/** Sends a persisted `submitting` job to the provider once; never re-sends a create that may have landed. */
export async function sendToProvider(
  context: ServiceContext,
  job: Job,
  fence?: number,
): Promise<Job> {
  // A job that waited its turn for longer than its links live is refused here, not by the model.
  const expired = expiredInputs(job.request, context.now() + inputLinkMarginMs);
  if (expired.length > 0) return await fail(context, job, expiredInputsMessage(expired), fence);
  const input = submitInputFor(context, job);
  try {
    const outcome = await context.provider.submit(input);
    return await accept(context, job, outcome, fence);
  } catch (error) {
    if (error instanceof ProviderError && error.outcomeUnknown) {
      context.logger.warn(
        { jobId: job.id, err: error },
        "create outcome unknown; looking for the job",
      );
      return await resolveUnknownOutcome(context, job, fence);
    }
    context.logger.info({ jobId: job.id, err: error }, "provider refused the job");
    return await fail(context, job, describeSubmitError(error), fence);
  }
}

/**
 * A create call timed out or failed mid-flight (or the process died during it). The provider may have
 * the job: look for it a few times, adopt it if found, otherwise fail clearly — never re-send.
 */
export async function resolveUnknownOutcome(
  context: ServiceContext,
  job: Job,
  fence?: number,
): Promise<Job> {
  const input = submitInputFor(context, job);
  const checks = context.settings.unknownOutcomeChecks;
  for (let attempt = 0; attempt < checks; attempt++) {
    try {
      const claimed = await claimedProviderIds(context);
      const found = await context.provider.findSubmitted(input, claimed);
      if (found) return await accept(context, job, found, fence);
    } catch (error) {
      context.logger.warn({ jobId: job.id, err: error }, "could not list the provider's queue");
    }
    if (attempt + 1 < checks) {
      await sleep(
        backoffDelay(attempt, { initialMs: 2_000, maxMs: 10_000, random: context.random }),
      );
    }
  }
  return await fail(context, job, unknownOutcomeMessage, fence);
}

async function claimedProviderIds(context: ServiceContext): Promise<Set<string>> {
  const jobs = await context.store.listByStates(["queued", "running", "succeeded", "delivering"]);
  return new Set(jobs.flatMap((job) => (job.providerJobId ? [job.providerJobId] : [])));
}

async function accept(
  context: ServiceContext,
  job: Job,
  found: {
    providerJobId: string;
    state: "queued" | "running" | "succeeded" | "failed" | "cancelled";
  },
  fence: number | undefined,
): Promise<Job> {
  const { providerJobId, state } = found;
  // Only the provider id is recorded here; later states arrive as updates, in order.
  const to = state === "running" ? "running" : "queued";
  const next = await context.store.transition(job.id, {
    from: ["submitting"],
    to,
    patch: { providerJobId, submittedAt: context.now() },
    fence,
  });
  if (!next) return (await context.store.get(job.id)) ?? job;
  context.changed(next);
  return next;
}

async function fail(
  context: ServiceContext,
  job: Job,
  message: string,
  fence: number | undefined,
): Promise<Job> {
  const next = await context.store.transition(job.id, {
    from: ["submitting"],
    to: "failed",
    patch: { error: message, completedAt: context.now() },
    fence,
  });
  if (!next) return (await context.store.get(job.id)) ?? job;
  context.changed(next);
  return next;
}
