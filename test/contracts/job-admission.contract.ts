import { describe, expect, it } from "vitest";
import type { JobOrigin } from "../../src/jobs/job.ts";
import type { Admission, AdmissionRules } from "../../src/jobs/job-admission.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { newJob } from "./new-job.ts";

export interface AdmissionSubject {
  store: JobStore;
  /** A second store on the same storage, as another instance would open it; the same store when none. */
  peer: JobStore;
}

const openRules: AdmissionRules = { maxActiveJobsPerUser: 0, budgetsSince: 0 };
const otherUser: JobOrigin = { ...newJob().origin, userId: "user-2" };

function candidate(id: string, overrides: Parameters<typeof newJob>[0] = {}) {
  return newJob({ id, ...overrides });
}

function admittedJob(admission: Admission) {
  if (!admission.admitted) throw new Error(`refused: ${JSON.stringify(admission.refusal)}`);
  return admission.job;
}

/** Admission and promotion decided inside the store; part of the JobStore contract. */
export function jobAdmissionContract(subject: () => AdmissionSubject): void {
  describe("admission", () => {
    it("admits in submitting at version 1 when no rule limits it", async () => {
      const { store } = subject();
      const job = admittedJob(await store.admit(candidate("job-1"), openRules));
      expect(job).toMatchObject({ id: "job-1", state: "submitting", version: 1, attempts: 0 });
      expect(job).not.toHaveProperty("queuePosition");
      expect(await store.get("job-1")).toStrictEqual(job);
    });

    it("places a user's jobs beyond the limit in waiting, numbered in order", async () => {
      const { store } = subject();
      const rules = { ...openRules, maxActiveJobsPerUser: 2 };
      const placements = [];
      for (const id of ["a", "b", "c", "d"]) {
        const job = admittedJob(await store.admit(candidate(id), rules));
        placements.push([job.state, job.queuePosition]);
      }
      expect(placements).toEqual([
        ["submitting", undefined],
        ["submitting", undefined],
        ["waiting", 1],
        ["waiting", 2],
      ]);
      const theirs = admittedJob(await store.admit(candidate("e", { origin: otherUser }), rules));
      expect(theirs.state).toBe("submitting");
    });

    it("waits behind the user's waiting jobs even when a slot is free", async () => {
      const { store } = subject();
      await store.create(newJob({ id: "running", state: "running" }));
      await store.create(newJob({ id: "next", state: "waiting", queuePosition: 1 }));
      const job = admittedJob(
        await store.admit(candidate("new"), { ...openRules, maxActiveJobsPerUser: 2 }),
      );
      expect(job).toMatchObject({ state: "waiting", queuePosition: 2 });
    });

    it("refuses a job that would overspend the user's day, with the numbers, and stores nothing", async () => {
      const { store } = subject();
      const rules = { ...openRules, budgetsSince: 1_000, dailySecondsPerUser: 12 };
      await store.create(newJob({ id: "today", createdAt: 1_000 }));
      await store.create(newJob({ id: "yesterday", createdAt: 500 }));
      await store.create(newJob({ id: "failed", createdAt: 1_100, state: "failed" }));
      await store.create(newJob({ id: "cancelled", createdAt: 1_100, state: "cancelled" }));
      await store.create(newJob({ id: "theirs", createdAt: 1_100, origin: otherUser }));
      admittedJob(await store.admit(candidate("fits", { createdAt: 2_000 }), rules));
      const refused = await store.admit(candidate("over", { createdAt: 2_000 }), rules);
      expect(refused).toEqual({
        admitted: false,
        refusal: { budget: "user", needed: 5, left: 2, limit: 12 },
      });
      expect(await store.get("over")).toBeUndefined();
    });

    it("reserves the longest duration for auto", async () => {
      const { store } = subject();
      const auto = candidate("auto", { request: { ...newJob().request, duration: -1 } });
      const refused = await store.admit(auto, { ...openRules, dailySecondsPerUser: 10 });
      expect(refused).toEqual({
        admitted: false,
        refusal: { budget: "user", needed: 15, left: 10, limit: 10 },
      });
    });

    it("counts everyone in the space against its budget, after the user's own", async () => {
      const { store } = subject();
      const rules = { ...openRules, dailySecondsPerSpace: 10 };
      await store.create(newJob({ id: "theirs", origin: otherUser }));
      await store.create(newJob({ id: "elsewhere", origin: { ...otherUser, spaceId: "guild-2" } }));
      admittedJob(await store.admit(candidate("mine"), rules));
      expect(await store.admit(candidate("more"), rules)).toEqual({
        admitted: false,
        refusal: { budget: "space", needed: 5, left: 0, limit: 10 },
      });
      const both = await store.admit(candidate("more"), { ...rules, dailySecondsPerUser: 7 });
      expect(both).toMatchObject({ admitted: false, refusal: { budget: "user", left: 2 } });
      const { spaceId: _, ...direct } = newJob().origin;
      admittedJob(await store.admit(candidate("in-a-dm", { origin: direct }), rules));
    });

    it("rejects an id that exists, and keeps the first", async () => {
      const { store } = subject();
      await store.create(newJob({ state: "running" }));
      const rules = { ...openRules, maxActiveJobsPerUser: 1 };
      await expect(store.admit(candidate("job-1", { model: "other" }), rules)).rejects.toThrow(
        /already exists/,
      );
      await expect(store.admit(candidate("job-1"), openRules)).rejects.toThrow(/already exists/);
      expect(await store.get("job-1")).toMatchObject({ state: "running", model: "seedance-2-0" });
    });

    it("never overspends a budget or the queue when twenty admissions race on two instances", async () => {
      const { store, peer } = subject();
      const rules = { maxActiveJobsPerUser: 2, budgetsSince: 0, dailySecondsPerUser: 30 };
      const admissions = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? store : peer).admit(candidate(`race-${index}`), rules),
        ),
      );
      const admitted = admissions.flatMap((admission) =>
        admission.admitted ? [admission.job] : [],
      );
      expect(admitted).toHaveLength(6);
      for (const admission of admissions) {
        if (!admission.admitted) expect(admission.refusal.left).toBeLessThan(5);
      }
      const jobs = await store.listByUser("discord", "user-1", 100);
      expect(jobs).toHaveLength(6);
      expect(jobs.filter((job) => job.state === "submitting")).toHaveLength(2);
      const positions = jobs.flatMap((job) => (job.state === "waiting" ? [job.queuePosition] : []));
      expect(positions.toSorted()).toEqual([1, 2, 3, 4]);
    });
  });

  describe("admitting the takes of one request together", () => {
    it("places them in order, like one admission after another", async () => {
      const { store } = subject();
      await store.create(newJob({ id: "running", state: "running" }));
      const admitted = await store.admitAll(
        ["t1", "t2", "t3"].map((id) => candidate(id)),
        { ...openRules, maxActiveJobsPerUser: 2 },
      );
      if (!admitted.admitted) throw new Error("refused");
      expect(admitted.jobs.map((job) => [job.id, job.state, job.queuePosition])).toEqual([
        ["t1", "submitting", undefined],
        ["t2", "waiting", 1],
        ["t3", "waiting", 2],
      ]);
      expect(await store.get("t3")).toStrictEqual(admitted.jobs[2]);
    });

    it("refuses all of them when together they overspend a budget one alone would fit, and stores none", async () => {
      const { store } = subject();
      const rules = { ...openRules, dailySecondsPerUser: 12 };
      const refused = await store.admitAll(
        ["t1", "t2", "t3"].map((id) => candidate(id)),
        rules,
      );
      expect(refused).toEqual({
        admitted: false,
        refusal: { budget: "user", needed: 15, left: 12, limit: 12 },
      });
      expect(await store.listByUser("discord", "user-1", 10)).toEqual([]);
      const space = await store.admitAll(
        ["s1", "s2"].map((id) => candidate(id)),
        { ...openRules, dailySecondsPerSpace: 9 },
      );
      expect(space).toMatchObject({ admitted: false, refusal: { budget: "space", needed: 10 } });
      expect(await store.listByUser("discord", "user-1", 10)).toEqual([]);
    });

    it("stores none when one id exists", async () => {
      const { store } = subject();
      await store.create(newJob({ id: "t2", state: "running" }));
      await expect(
        store.admitAll(
          ["t1", "t2", "t3"].map((id) => candidate(id)),
          openRules,
        ),
      ).rejects.toThrow(/already exists/);
      expect(await store.get("t1")).toBeUndefined();
      expect(await store.get("t3")).toBeUndefined();
    });

    it("never overspends a budget when takes race on two instances", async () => {
      const { store, peer } = subject();
      const rules = { maxActiveJobsPerUser: 0, budgetsSince: 0, dailySecondsPerUser: 30 };
      const admissions = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          (index % 2 === 0 ? store : peer).admitAll(
            [0, 1, 2].map((take) => candidate(`race-${index}-${take}`)),
            rules,
          ),
        ),
      );
      expect(admissions.filter((admission) => admission.admitted)).toHaveLength(2);
      const jobs = await store.listByUser("discord", "user-1", 100);
      expect(jobs).toHaveLength(6);
    });
  });

  describe("advance", () => {
    const user = { platform: "discord", userId: "user-1" };
    const rules = { ...openRules, maxActiveJobsPerUser: 2 };

    async function queueOfFive(store: JobStore) {
      for (const [index, id] of ["a", "b", "c", "d", "e"].entries()) {
        await store.admit(candidate(id, { createdAt: 1_000 + index }), rules);
      }
    }

    it("starts the oldest waiting job where there is room and renumbers the rest", async () => {
      const { store } = subject();
      await queueOfFive(store);
      await store.transition("a", { from: ["submitting"], to: "failed" });
      const advanced = await store.advance(user, 2);
      expect(advanced.started.map((job) => [job.id, job.state])).toEqual([["c", "submitting"]]);
      expect(advanced.renumbered.map((job) => [job.id, job.queuePosition])).toEqual([
        ["d", 1],
        ["e", 2],
      ]);
      expect(await store.get("c")).toStrictEqual(advanced.started[0]);
      expect(await store.get("e")).toStrictEqual(advanced.renumbered[1]);
      expect(await store.advance(user, 2)).toEqual({ started: [], renumbered: [] });
    });

    it("changes nothing when nobody waits, and starts everyone without a limit", async () => {
      const { store } = subject();
      expect(await store.advance(user, 2)).toEqual({ started: [], renumbered: [] });
      await queueOfFive(store);
      const advanced = await store.advance(user, 0);
      expect(advanced.started.map((job) => job.id)).toEqual(["c", "d", "e"]);
      expect(advanced.renumbered).toEqual([]);
    });

    it("starts only what there is room for when four advances race on two instances", async () => {
      const { store, peer } = subject();
      await queueOfFive(store);
      for (const id of ["a", "b"])
        await store.transition(id, { from: ["submitting"], to: "cancelled" });
      const results = await Promise.all(
        [store, peer, store, peer].map((instance) => instance.advance(user, 2)),
      );
      const started = results.flatMap((result) => result.started.map((job) => job.id));
      expect(started.toSorted()).toEqual(["c", "d"]);
      const waiting = await store.listByUserInStates("discord", "user-1", ["waiting"]);
      expect(waiting.map((job) => [job.id, job.queuePosition])).toEqual([["e", 1]]);
    });
  });
}
