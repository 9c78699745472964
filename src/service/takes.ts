import type { GenerationRequestInput } from "../domain/generation-request.ts";
import { UserFacingError } from "../errors.ts";
import type { Job, JobOrigin } from "../jobs/job.ts";
import type { UsagePolicy } from "../policy/usage-policy.ts";
import type { SpaceLimits } from "../settings/space-limits.ts";
import { admitJob, candidateFor, idFromKey, newJobId } from "./admission.ts";
import type { SubmitOptions } from "./generation-service-port.ts";
import type { ServiceContext } from "./service-context.ts";

// Several takes of one request (`--takes N`): N jobs with different seeds, admitted all or none.

const maxSeed = 2_147_483_647;

/** The takes of one request, in order (one job without `--takes`). */
export interface AdmittedTakes {
  jobs: Job[];
  /** False when the idempotency key named takes that already exist: they must not be sent again. */
  created: boolean;
}

/**
 * Each take's key is the command's key and the take's number, so a repeated command finds the same takes
 * (one take keeps the command's own key, as before takes existed).
 */
function takeKey(key: string, index: number, count: number): string {
  return count === 1 ? key : `${key}\u0000take ${index}`;
}

/** Refuses a number of takes outside 1 to `maxTakes` (`MAX_TAKES`, or the space's `max_takes`), naming the field and the range. */
export function checkTakes(takes: number, maxTakes: number): void {
  if (Number.isInteger(takes) && takes >= 1 && takes <= maxTakes) return;
  throw new UserFacingError(
    `takes ${String(takes)} is out of range; choose a whole number from 1 to ${maxTakes}.`,
    { field: "takes", code: "INVALID_REQUEST" },
  );
}

/**
 * Several takes of one request: each its own job with its own seed (the user's seed, or a random one, then
 * the next seeds in turn, so no two takes share one), admitted together against the budgets and the queue.
 */
export async function admitTakes(
  context: ServiceContext,
  policy: UsagePolicy,
  input: GenerationRequestInput,
  origin: JobOrigin,
  options: SubmitOptions,
  limits: SpaceLimits,
): Promise<AdmittedTakes> {
  const count = options.takes ?? 1;
  checkTakes(count, limits.maxTakes);
  if (count === 1) {
    const admitted = await admitJob(context, policy, input, origin, options, limits);
    return { jobs: [admitted.job], created: admitted.created };
  }
  const key = options.idempotencyKey;
  const ids = Array.from({ length: count }, (_, index) =>
    key ? idFromKey(origin.platform, takeKey(key, index + 1, count)) : newJobId(),
  );
  if (key) {
    const existing = await existingTakes(context, ids);
    if (existing.length > 0) return { jobs: existing, created: false };
  }
  const base = input.seed ?? Math.floor(context.random() * maxSeed);
  const candidates = ids.map((id, index) =>
    candidateFor(
      context,
      { ...input, seed: (base + index) % (maxSeed + 1) },
      origin,
      options,
      { id, take: { index: index + 1, count } },
      limits,
    ),
  );
  let jobs: Job[];
  try {
    jobs = await policy.admitAll(candidates, context.settings.maxJobsPerUser, limits);
  } catch (error) {
    // Another instance admitted the same command's takes first: they are the answer.
    const existing = key ? await existingTakes(context, ids) : [];
    if (existing.length > 0) return { jobs: existing, created: false };
    throw error;
  }
  for (const job of jobs) context.changed(job);
  return { jobs, created: true };
}

async function existingTakes(context: ServiceContext, ids: readonly string[]): Promise<Job[]> {
  const found = await Promise.all(ids.map((id) => context.store.get(id)));
  return found.filter((job) => job !== undefined);
}
