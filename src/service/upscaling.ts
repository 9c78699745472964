import type { GenerationRequestInput } from "../domain/generation-request.ts";
import { defaultResolution, upscaleTarget } from "../domain/upscale-resolution.ts";
import { UserFacingError } from "../errors.ts";
import { followUpOrigin, type Job, type JobOrigin } from "../jobs/job.ts";
import type { Actor, SubmitOptions, UpscaleOptions } from "./generation-service-port.ts";
import type { ServiceContext } from "./service-context.ts";

const madeStates = new Set(["delivered", "delivery_failed", "delivering"]);

export interface UpscaleParts {
  context: ServiceContext;
  /** The parent's request with working input links (expired ones made again or refused). */
  inputs: (parent: Job) => Promise<Job["request"]>;
  submit: (
    input: GenerationRequestInput,
    origin: JobOrigin,
    options: SubmitOptions,
  ) => Promise<Job>;
}

/** The same prompt, inputs and seed as `parent`, at the highest resolution its model allows. */
export async function upscaleJob(
  parts: UpscaleParts,
  parent: Job,
  by: Actor,
  options: UpscaleOptions,
): Promise<Job> {
  if (parent.stitchOf) {
    throw new UserFacingError(
      `Job ${parent.id} is a stitched video; upscale its clips one by one instead.`,
    );
  }
  if (!madeStates.has(parent.state)) {
    throw new UserFacingError(
      `Job ${parent.id} has no finished video to upscale yet: it is ${parent.state.replace("_", " ")}.`,
    );
  }
  const { mode, tier } = parent.request;
  const limits = parts.context.provider.catalog[mode][tier].limits;
  const resolution = upscaleTarget(parent.request, limits);
  if (!resolution) {
    const current = parent.request.resolution ?? defaultResolution;
    throw new UserFacingError(
      `Job ${parent.id} is already at ${current}, the highest resolution this model allows; nothing was made or charged.`,
      { field: "resolution" },
    );
  }
  const request: GenerationRequestInput = { ...(await parts.inputs(parent)), resolution };
  const origin = followUpOrigin(parent.origin, by, options.origin);
  return await parts.submit(request, origin, {
    parentJobId: parent.id,
    upscaleOf: parent.id,
    action: "upscale",
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
  });
}
