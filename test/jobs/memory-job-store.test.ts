import { expect, it } from "vitest";
import { createMemoryJobStore } from "../../src/jobs/memory-job-store.ts";
import { jobStoreContract } from "../contracts/job-store.contract.ts";
import { newJob } from "../contracts/new-job.ts";

jobStoreContract("memory job store", async () => ({ store: createMemoryJobStore() }));

it("stamps writes with the injected clock", async () => {
  let now = 10_000;
  const store = createMemoryJobStore({ now: () => now });
  await store.create(newJob());
  now = 12_345;
  const moved = await store.transition("job-1", { from: ["submitting"], to: "queued" });
  expect(moved).toMatchObject({ updatedAt: 12_345, createdAt: 1_000 });
  await store.close();
});
