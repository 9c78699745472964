import { randomBytes } from "node:crypto";
import type { CoordinationStore } from "../coordination/coordination.ts";
import { UserFacingError } from "../errors.ts";
import type { JobOrigin } from "../jobs/job.ts";

/** How long a second click, reaction or submit on the same job counts as the same request. */
export const repeatWindowMs = 5_000;

/** What a request derived from an existing job (regenerate, remix) repeats: who, from which job, how. */
export interface RepeatSubject {
  origin: Pick<JobOrigin, "platform" | "userId">;
  sourceJobId: string;
  action: string;
}

/**
 * One job per user, source job and action within a few seconds: a double click on Regenerate, a 🔁
 * and a button together, or a form sent twice make one paid job, never two. The claim lives in the
 * coordination store, so it holds across instances sharing one. A replay of the same platform event
 * (same idempotency key) passes: the service answers it with the job it already made.
 */
export class RepeatGuard {
  readonly #coordination: CoordinationStore;

  constructor(coordination: CoordinationStore) {
    this.#coordination = coordination;
  }

  async run<T>(
    subject: RepeatSubject,
    idempotencyKey: string | undefined,
    attempt: () => Promise<T>,
  ): Promise<T> {
    const { platform, userId } = subject.origin;
    const key = `repeat:${platform}:${userId}:${subject.action}:${subject.sourceJobId}`;
    const claimant = idempotencyKey ?? `attempt:${randomBytes(9).toString("base64url")}`;
    const claim = await this.#coordination.claimKey(key, claimant, repeatWindowMs);
    if (!claim.claimed && claim.value !== claimant) {
      const failed = await this.#coordination.getValue(failedKey(claim.value));
      // The first attempt made no job (it was refused): this one may try.
      if (!failed) throw repeatedRequest(subject);
    }
    try {
      return await attempt();
    } catch (error) {
      await this.#coordination
        .setValue(failedKey(claimant), "1", { ttlMs: repeatWindowMs })
        .catch(() => undefined);
      throw error;
    }
  }
}

function failedKey(claimant: string): string {
  return `repeat-failed:${claimant}`;
}

function repeatedRequest(subject: RepeatSubject): UserFacingError {
  const what = subject.action === "regenerate" ? "a new take of" : `to ${subject.action}`;
  return new UserFacingError(
    `You already asked for ${what} job ${subject.sourceJobId} a moment ago; that one is on its way (see /jobs), so nothing more was made or charged.`,
    { code: "REPEATED_REQUEST" },
  );
}
