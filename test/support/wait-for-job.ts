import { type Job, jobStates } from "../../src/jobs/job.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { waitUntil } from "./wait-until.ts";

/** Waits until a job matching `predicate` exists, in any state, and returns it. */
export async function waitForJob(
  store: JobStore,
  predicate: (job: Job) => boolean,
  message: string,
): Promise<Job> {
  let found: Job | undefined;
  await waitUntil(
    async () => {
      found = (await store.listByStates(jobStates)).find(predicate);
      return found !== undefined;
    },
    { message },
  );
  return found as Job;
}
