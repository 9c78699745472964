import { billableSeconds, type GenerationRequest } from "../domain/generation-request.ts";
import { UserFacingError } from "../errors.ts";
import { isPending, type Job, type JobOrigin } from "../jobs/job.ts";
import type { AdmissionRules, BudgetRefusal, JobCandidate } from "../jobs/job-admission.ts";
import type { CreatedSinceFilter, JobStore } from "../jobs/job-store.ts";
import { type AccessRules, accessRefusal, openAccess } from "./access-list.ts";
import { compileBlocklist, matchedRule } from "./prompt-blocklist.ts";

export interface UsagePolicySettings {
  /** Regular expressions; a prompt matching one (accents and case ignored) is refused. */
  blockedPromptPatterns: readonly string[];
  access: AccessRules;
  /** Seconds of video one user may generate per UTC day. */
  dailySecondsPerUser?: number | undefined;
  /** Seconds of video one guild or workspace may generate per UTC day. */
  dailySecondsPerSpace?: number | undefined;
}

/** Budgets in force for one request: the operator's, tightened by the space's own settings. */
export interface DailyBudgets {
  dailySecondsPerUser?: number | undefined;
  dailySecondsPerSpace?: number | undefined;
}

export interface UsageSummary {
  seconds: number;
  jobs: number;
  limit: number | undefined;
  /** Provider charges recorded today, and estimates for jobs still running; undefined when none is priced. */
  spend?: { charged: number; inProgress: number } | undefined;
}

export interface UsageReport {
  /** Start and end of the current UTC day (ms). */
  since: number;
  resetsAt: number;
  user: UsageSummary;
  space: UsageSummary | undefined;
}

const day = 86_400_000;
/** Failed and cancelled jobs give their reserved seconds back. */
const released = new Set(["failed", "cancelled"]);

function summarize(jobs: readonly Job[]): UsageSummary {
  const counted = jobs.filter((job) => !released.has(job.state));
  const seconds = counted.reduce(
    (sum, job) => sum + (job.stitchOf ? 0 : billableSeconds(job.request)),
    0,
  );
  const charged = jobs.filter((job) => job.cost !== undefined);
  const running = jobs.filter(
    (job) => job.cost === undefined && job.costEstimate !== undefined && isPending(job),
  );
  const spend =
    charged.length + running.length === 0
      ? undefined
      : {
          charged: charged.reduce((sum, job) => sum + (job.cost ?? 0), 0),
          inProgress: running.reduce((sum, job) => sum + (job.costEstimate ?? 0), 0),
        };
  return { seconds, jobs: counted.length, limit: undefined, spend };
}

function inHoursAndMinutes(milliseconds: number): string {
  const minutes = Math.ceil(milliseconds / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * What the operator allows: who may generate where, which prompts are refused, and how many seconds
 * of video a user and a space may spend per day — reserved when a job is created, given back when it
 * fails or is cancelled.
 */
export class UsagePolicy {
  readonly #settings: UsagePolicySettings;
  readonly #rules: RegExp[];
  readonly #store: JobStore;
  readonly #now: () => number;

  constructor(
    settings: Partial<UsagePolicySettings>,
    store: JobStore,
    now: () => number = () => Date.now(),
  ) {
    this.#settings = { blockedPromptPatterns: [], access: openAccess, ...settings };
    this.#rules = compileBlocklist(this.#settings.blockedPromptPatterns);
    this.#store = store;
    this.#now = now;
  }

  /**
   * Checks the request against every rule, then lets the store admit it: the budgets and the user's queue
   * (`maxActiveJobsPerUser` at the provider, 0: no limit) are decided inside the store, atomically across
   * every instance that shares it, so two requests can never share the last seconds.
   */
  async admit(
    candidate: JobCandidate,
    maxActiveJobsPerUser = 0,
    budgets: DailyBudgets = this.#settings,
  ): Promise<Job> {
    this.check(candidate.request, candidate.origin);
    const rules = this.rules(maxActiveJobsPerUser, budgets);
    const admission = await this.#store.admit(candidate, rules);
    if (admission.admitted) return admission.job;
    throw this.#refusal(candidate.request, admission.refusal);
  }

  /**
   * The takes of one request, admitted together: their seconds together must fit the budgets, or none is
   * stored and the refusal says how many seconds are left.
   */
  async admitAll(
    candidates: readonly JobCandidate[],
    maxActiveJobsPerUser = 0,
    budgets: DailyBudgets = this.#settings,
  ): Promise<Job[]> {
    const first = candidates[0];
    if (first === undefined) return [];
    this.check(first.request, first.origin);
    const admission = await this.#store.admitAll(
      candidates,
      this.rules(maxActiveJobsPerUser, budgets),
    );
    if (admission.admitted) return admission.jobs;
    throw this.#refusal(first.request, admission.refusal, candidates.length);
  }

  /** Access and prompt rules: a refused request throws, before anything is stored. */
  check(request: GenerationRequest, origin: JobOrigin): void {
    const refusal = accessRefusal(this.#settings.access, origin);
    if (refusal) throw new UserFacingError(refusal, { code: "INVALID_REQUEST" });
    const rule = matchedRule(request.prompt, this.#rules);
    if (rule !== undefined) {
      throw new UserFacingError(
        `The prompt matches a phrase this server does not allow (rule ${rule}); please rephrase it.`,
        { field: "prompt" },
      );
    }
  }

  /** The rules the store applies today: budgets count from the start of the current UTC day. */
  rules(maxActiveJobsPerUser: number, budgets: DailyBudgets = this.#settings): AdmissionRules {
    return {
      maxActiveJobsPerUser,
      budgetsSince: Math.floor(this.#now() / day) * day,
      dailySecondsPerUser: budgets.dailySecondsPerUser,
      dailySecondsPerSpace: budgets.dailySecondsPerSpace,
    };
  }

  async usage(
    platform: string,
    userId: string,
    spaceId?: string,
    budgets: DailyBudgets = this.#settings,
  ): Promise<UsageReport> {
    const since = Math.floor(this.#now() / day) * day;
    const user = await this.#spent({ platform, userId }, since);
    const space = spaceId ? await this.#spent({ platform, spaceId }, since) : undefined;
    return {
      since,
      resetsAt: since + day,
      user: { ...user, limit: budgets.dailySecondsPerUser },
      space: space && { ...space, limit: budgets.dailySecondsPerSpace },
    };
  }

  async #spent(filter: CreatedSinceFilter, since: number) {
    return summarize(await this.#store.listCreatedSince(filter, since));
  }

  #refusal(request: GenerationRequest, refusal: BudgetRefusal, takes = 1): UserFacingError {
    const auto =
      (request.duration ?? -1) === -1 ? " (auto duration counts as 15 s; set --dur for less)" : "";
    const since = Math.floor(this.#now() / day) * day;
    const resets = `resets at 00:00 UTC, in ${inHoursAndMinutes(since + day - this.#now())}`;
    const whose = refusal.budget === "user" ? "your" : "this server's";
    const what =
      takes > 1
        ? `These ${takes} takes need ${refusal.needed} s together (${takes} × ${refusal.needed / takes} s)`
        : `This video needs ${refusal.needed} s`;
    const none = takes > 1 ? "; none of them was started" : "";
    return new UserFacingError(
      `${what}${auto}, but ${whose} daily budget of ${refusal.limit} s has ${refusal.left} s left (${resets})${none}.`,
      { field: takes > 1 ? "takes" : "duration", code: "INVALID_REQUEST" },
    );
  }
}
