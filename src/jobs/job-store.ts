import type { Job, JobOrigin, JobPatch, JobState, NewJob } from "./job.ts";
import type {
  Admission,
  AdmissionRules,
  Admissions,
  Advanced,
  JobCandidate,
} from "./job-admission.ts";

export interface TransitionOptions {
  /** The write happens only if the job is in one of these states... */
  from: readonly JobState[];
  to: JobState;
  patch?: JobPatch;
  /** ...and, when given, still at this version. */
  expectedVersion?: number;
  /**
   * ...and, when given, not written under a newer claim: the job's `fence` is at most this token (the work
   * lease's), which the write then records.
   */
  fence?: number | undefined;
}

export type CreatedSinceFilter =
  | { platform: string; userId: string; spaceId?: undefined }
  | { platform: string; spaceId: string; userId?: undefined };

/** Durable job storage. Every write is a compare-and-set: it returns the new job, or undefined if it lost. */
export interface JobStore {
  /** Inserts a new job in `submitting` (or the given state). Fails if the id exists. */
  create(job: NewJob): Promise<Job>;
  get(id: string): Promise<Job | undefined>;
  findByProviderJobId(provider: string, providerJobId: string): Promise<Job | undefined>;
  /** Moves a job between states atomically; throws if the move is not in `allowedTransitions`. */
  transition(id: string, options: TransitionOptions): Promise<Job | undefined>;
  /** Changes fields other than state, only if the job is still at `expectedVersion`. */
  update(id: string, patch: JobPatch, expectedVersion: number): Promise<Job | undefined>;
  listByStates(states: readonly JobState[]): Promise<Job[]>;
  /** Most recent first. */
  listByUser(platform: string, userId: string, limit: number): Promise<Job[]>;
  /** One user's jobs in these states, oldest first (indexed: cheap however many others exist). */
  listByUserInStates(platform: string, userId: string, states: readonly JobState[]): Promise<Job[]>;
  /** Jobs created at or after `since` (ms) by one user or in one space (guild, workspace), oldest first. */
  listCreatedSince(filter: CreatedSinceFilter, since: number): Promise<Job[]>;
  /**
   * Admits a job atomically, however many processes share the store: checks the daily budgets (refusing with
   * the numbers when one would be overspent) and places the job in `submitting`, or in `waiting` behind the
   * user's other waiting jobs when they have `maxActiveJobsPerUser` active. Fails like `create` if the id exists.
   */
  admit(candidate: JobCandidate, rules: AdmissionRules): Promise<Admission>;
  /**
   * Admits the takes of one request (same user and space) together, in order, like `admit` one after another,
   * except that their seconds together must fit the budgets: all are stored, or none. Fails like `create` if
   * any id exists, and then stores none.
   */
  admitAll(candidates: readonly JobCandidate[], rules: AdmissionRules): Promise<Admissions>;
  /**
   * A job of this user left the provider: starts their oldest waiting jobs while fewer than
   * `maxActiveJobsPerUser` (0: no limit) are active, and renumbers the rest, atomically with `admit`.
   */
  advance(
    user: Pick<JobOrigin, "platform" | "userId">,
    maxActiveJobsPerUser: number,
  ): Promise<Advanced>;
  /** True while the store can be read and written. */
  isHealthy(): boolean;
  close(): Promise<void>;
}
