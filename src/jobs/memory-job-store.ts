import type { Job, JobOrigin, JobPatch, JobState, NewJob } from "./job.ts";
import {
  type Admission,
  type AdmissionRules,
  type Admissions,
  type Advanced,
  admissionNeeds,
  assertAdmissionRules,
  decideAdmissions,
  type JobCandidate,
  placedJob,
  planAdvance,
  queueCounts,
  renumberWaiting,
  singleAdmission,
  spentSeconds,
  startWaiting,
} from "./job-admission.ts";
import type { CreatedSinceFilter, JobStore, TransitionOptions } from "./job-store.ts";
import {
  assertListLimit,
  assertTransitionPossible,
  closedStoreError,
  copyJob,
  duplicateJobError,
  duplicateProviderJobError,
  initialJob,
  patchedJob,
  transitionedJob,
  transitionMatches,
} from "./job-writes.ts";

export interface MemoryJobStoreOptions {
  /** The clock for `updatedAt`; defaults to `Date.now`. */
  now?: () => number;
}

/** A JobStore held in this process only (tests, development). Jobs are copied in and out. */
export function createMemoryJobStore(options: MemoryJobStoreOptions = {}): JobStore {
  const now = options.now ?? (() => Date.now());
  // Insertion order is kept by the Map and breaks ties between equal `createdAt`s, as rowid does in SQLite.
  const jobs = new Map<string, Job>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw closedStoreError();
  }

  function assertProviderJobIdFree(job: Job): void {
    if (job.providerJobId === undefined) return;
    for (const other of jobs.values()) {
      if (
        other.id !== job.id &&
        other.provider === job.provider &&
        other.providerJobId === job.providerJobId
      ) {
        throw duplicateProviderJobError(job);
      }
    }
  }

  function save(job: Job): Job {
    assertProviderJobIdFree(job);
    jobs.set(job.id, job);
    return copyJob(job);
  }

  function userJobs(platform: string, userId: string): Job[] {
    return [...jobs.values()].filter(
      (job) => job.origin.platform === platform && job.origin.userId === userId,
    );
  }

  // Admission and advance run to completion without awaiting: nothing else can interleave.
  function admit(candidate: JobCandidate, rules: AdmissionRules): Admission {
    return singleAdmission(admitAll([candidate], rules));
  }

  function admitAll(candidates: readonly JobCandidate[], rules: AdmissionRules): Admissions {
    assertAdmissionRules(rules);
    const first = candidates[0];
    if (first === undefined) return { admitted: true, jobs: [] };
    for (const candidate of candidates)
      if (jobs.has(candidate.id)) throw duplicateJobError(candidate.id);
    const { platform, userId, spaceId } = first.origin;
    const since = (job: Job) =>
      job.origin.platform === platform && job.createdAt >= rules.budgetsSince;
    const mine = userJobs(platform, userId);
    const decision = decideAdmissions(candidates, rules, {
      userSeconds: spentSeconds(mine.filter(since)),
      spaceSeconds: admissionNeeds(first.origin, rules).space
        ? spentSeconds(
            [...jobs.values()].filter((job) => since(job) && job.origin.spaceId === spaceId),
          )
        : 0,
      ...queueCounts(mine),
    });
    if ("refusal" in decision) return { admitted: false, refusal: decision.refusal };
    const placed = candidates.map((candidate, index) => {
      const placement = decision.placements[index] ?? { state: "submitting" as const };
      return initialJob(placedJob(candidate, placement));
    });
    return { admitted: true, jobs: placed.map(save) };
  }

  function advance(user: Pick<JobOrigin, "platform" | "userId">, limit: number): Advanced {
    const mine = userJobs(user.platform, user.userId).sort((a, b) => a.createdAt - b.createdAt);
    const waiting = mine.filter((job) => job.state === "waiting");
    if (waiting.length === 0) return { started: [], renumbered: [] };
    const plan = planAdvance(waiting, queueCounts(mine).active, limit);
    return {
      started: plan.start.map((job) => save(transitionedJob(job, startWaiting, now()))),
      renumbered: plan.renumber.map(({ job, queuePosition }) =>
        save(transitionedJob(job, renumberWaiting(queuePosition), now())),
      ),
    };
  }

  return {
    async admit(candidate: JobCandidate, rules: AdmissionRules): Promise<Admission> {
      assertOpen();
      return admit(candidate, rules);
    },

    async admitAll(
      candidates: readonly JobCandidate[],
      rules: AdmissionRules,
    ): Promise<Admissions> {
      assertOpen();
      return admitAll(candidates, rules);
    },

    async advance(user: Pick<JobOrigin, "platform" | "userId">, limit: number): Promise<Advanced> {
      assertOpen();
      return advance(user, limit);
    },

    async create(newJob: NewJob): Promise<Job> {
      assertOpen();
      if (jobs.has(newJob.id)) throw duplicateJobError(newJob.id);
      return save(initialJob(newJob));
    },

    async get(id: string): Promise<Job | undefined> {
      assertOpen();
      const job = jobs.get(id);
      return job === undefined ? undefined : copyJob(job);
    },

    async findByProviderJobId(provider: string, providerJobId: string): Promise<Job | undefined> {
      assertOpen();
      for (const job of jobs.values()) {
        if (job.provider === provider && job.providerJobId === providerJobId) return copyJob(job);
      }
      return undefined;
    },

    async transition(id: string, transition: TransitionOptions): Promise<Job | undefined> {
      assertOpen();
      assertTransitionPossible(transition);
      const job = jobs.get(id);
      if (job === undefined || !transitionMatches(job, transition)) return undefined;
      return save(transitionedJob(job, transition, now()));
    },

    async update(id: string, patch: JobPatch, expectedVersion: number): Promise<Job | undefined> {
      assertOpen();
      const job = jobs.get(id);
      if (job === undefined || job.version !== expectedVersion) return undefined;
      return save(patchedJob(job, patch, now()));
    },

    async listByStates(states: readonly JobState[]): Promise<Job[]> {
      assertOpen();
      return [...jobs.values()]
        .filter((job) => states.includes(job.state))
        .sort((first, second) => first.createdAt - second.createdAt)
        .map(copyJob);
    },

    async listByUser(platform: string, userId: string, limit: number): Promise<Job[]> {
      assertOpen();
      assertListLimit(limit);
      return [...jobs.values()]
        .filter((job) => job.origin.platform === platform && job.origin.userId === userId)
        .reverse()
        .sort((first, second) => second.createdAt - first.createdAt)
        .slice(0, limit)
        .map(copyJob);
    },

    async listByUserInStates(
      platform: string,
      userId: string,
      states: readonly JobState[],
    ): Promise<Job[]> {
      assertOpen();
      return [...jobs.values()]
        .filter(
          (job) =>
            job.origin.platform === platform &&
            job.origin.userId === userId &&
            states.includes(job.state),
        )
        .sort((first, second) => first.createdAt - second.createdAt)
        .map(copyJob);
    },

    async listCreatedSince(filter: CreatedSinceFilter, since: number): Promise<Job[]> {
      assertOpen();
      return [...jobs.values()]
        .filter(
          (job) =>
            job.origin.platform === filter.platform &&
            job.createdAt >= since &&
            (filter.userId === undefined
              ? job.origin.spaceId === filter.spaceId
              : job.origin.userId === filter.userId),
        )
        .sort((first, second) => first.createdAt - second.createdAt)
        .map(copyJob);
    },

    isHealthy(): boolean {
      return !closed;
    },

    async close(): Promise<void> {
      closed = true;
    },
  };
}
