import { createHash, randomBytes } from "node:crypto";
import {
  type GenerationRequestInput,
  generationModes,
  tiers,
} from "../domain/generation-request.ts";
import { upscaleTarget } from "../domain/upscale-resolution.ts";
import { validateRequest } from "../domain/validate-request.ts";
import { UserFacingError } from "../errors.ts";
import type { Job, JobOrigin } from "../jobs/job.ts";
import type { JobCandidate } from "../jobs/job-admission.ts";
import type { UsagePolicy } from "../policy/usage-policy.ts";
import { checkCaps } from "../settings/apply-space-settings.ts";
import type { SpaceLimits } from "../settings/space-limits.ts";
import type { SubmitOptions } from "./generation-service-port.ts";
import { withIgnoredSettings } from "./ignored-settings.ts";
import type { ServiceContext } from "./service-context.ts";

export interface Admitted {
  job: Job;
  /** False when the idempotency key named a job that already exists: it must not be sent again. */
  created: boolean;
}

export function newJobId(): string {
  return randomBytes(6).toString("base64url").replace(/[-_]/g, "x");
}

export function idFromKey(platform: string, key: string): string {
  return createHash("sha256")
    .update(`${platform}\u0000${key}`)
    .digest("base64url")
    .slice(0, 8)
    .replace(/[-_]/g, "x");
}

/** Checks the request against the model and prices it: the job as it will be admitted. */
export function candidateFor(
  context: ServiceContext,
  input: GenerationRequestInput,
  origin: JobOrigin,
  options: SubmitOptions,
  identity: Pick<JobCandidate, "id" | "take">,
  limits: SpaceLimits,
): JobCandidate {
  const { provider, now } = context;
  const mode = generationModes.includes(input.mode) ? input.mode : undefined;
  if (!mode)
    throw new UserFacingError(
      `mode ${String(input.mode)} is not supported; choose text, image or reference.`,
    );
  const tier = input.tier && tiers.includes(input.tier) ? input.tier : "standard";
  const model = provider.catalog[mode][tier];
  const request = withIgnoredSettings(provider, validateRequest(input, model.limits), model);
  checkCaps(request, limits, model.limits.minDuration);
  const estimate = provider.estimateCost(request, model);
  const upscaleTo = upscaleTarget(request, model.limits);
  return {
    ...identity,
    origin,
    request,
    provider: provider.name,
    model: model.id,
    createdAt: now(),
    ...(estimate ? { costEstimate: estimate.amount } : {}),
    ...(options.parentJobId ? { parentJobId: options.parentJobId } : {}),
    ...(options.extendsJobId ? { extendsJobId: options.extendsJobId } : {}),
    ...(options.upscaleOf ? { upscaleOf: options.upscaleOf } : {}),
    ...(upscaleTo ? { upscaleTo } : {}),
  };
}

/** Checks the request and the user's allowance, then stores the job; the provider is not called yet. */
export async function admitJob(
  context: ServiceContext,
  policy: UsagePolicy,
  input: GenerationRequestInput,
  origin: JobOrigin,
  options: SubmitOptions,
  limits: SpaceLimits,
): Promise<Admitted> {
  const { store } = context;
  const id = options.idempotencyKey
    ? idFromKey(origin.platform, options.idempotencyKey)
    : newJobId();
  if (options.idempotencyKey) {
    const existing = await store.get(id);
    if (existing) return { job: existing, created: false };
  }
  // Access and prompt here; the budgets and the user's queue inside the store, across instances.
  const job = await policy.admit(
    candidateFor(context, input, origin, options, { id }, limits),
    context.settings.maxJobsPerUser,
    limits,
  );
  context.changed(job);
  return { job, created: true };
}
