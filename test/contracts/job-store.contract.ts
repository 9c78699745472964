import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { JobPatch } from "../../src/jobs/job.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { jobAdmissionContract } from "./job-admission.contract.ts";
import { newJob } from "./new-job.ts";

export interface JobStoreUnderTest {
  store: JobStore;
  /** Opens the same storage again after `store` was closed; given by durable stores only. */
  reopen?: () => Promise<JobStore>;
  /** Opens a second store on the same storage, as another instance would; given by shared stores only. */
  peer?: () => Promise<JobStore>;
}

/** A patch built from optional values, as callers do at runtime; `undefined` must leave a field alone. */
function loosePatch(patch: Record<string, unknown>): JobPatch {
  return patch as JobPatch;
}

/** The behaviour every JobStore must share; each implementation's test file runs it. */
export function jobStoreContract(name: string, factory: () => Promise<JobStoreUnderTest>): void {
  describe(`${name} (JobStore contract)`, () => {
    let subject: JobStoreUnderTest;
    let store: JobStore;
    let peer: JobStore;
    const opened: JobStore[] = [];

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      peer = subject.peer ? await subject.peer() : store;
      opened.push(store, peer);
    });

    afterEach(async () => {
      vi.useRealTimers();
      for (const each of opened.splice(0)) await each.close();
    });

    jobAdmissionContract(() => ({ store, peer }));

    it("creates a job in submitting at version 1 and reads it back deeply equal", async () => {
      const input = newJob();
      const created = await store.create(input);
      expect(created).toStrictEqual({
        ...input,
        state: "submitting",
        version: 1,
        attempts: 0,
        updatedAt: 1_000,
      });
      expect(await store.get("job-1")).toStrictEqual(created);
      expect(await store.get("missing")).toBeUndefined();
    });

    it("creates in the given state and keeps its copy apart from the caller's objects", async () => {
      const input = newJob({ state: "queued" });
      const created = await store.create(input);
      input.request.referenceImages.push({ url: "https://cdn.test/late.png" });
      created.origin.channelId = "changed";
      created.request.prompt = "changed";
      const stored = await store.get("job-1");
      expect(stored?.state).toBe("queued");
      expect(stored?.origin.channelId).toBe("channel-1");
      expect(stored?.request.referenceImages).toHaveLength(1);
      expect(stored?.request.prompt).toBe("a red fox runs through snow");
    });

    it("rejects a second job with the same id and keeps the first", async () => {
      await store.create(newJob());
      await expect(store.create(newJob({ model: "other" }))).rejects.toThrow(/already exists/);
      expect((await store.get("job-1"))?.model).toBe("seedance-2-0");
    });

    it("lets exactly one of ten concurrent transitions from the same state win", async () => {
      await store.create(newJob());
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.transition("job-1", {
            from: ["submitting"],
            to: "queued",
            patch: { providerJobId: `task-${index}` },
          }),
        ),
      );
      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect(await store.get("job-1")).toStrictEqual(winners[0]);
      expect(winners[0]?.version).toBe(2);
    });

    it("lets one of ten writers at the same version win a self-transition", async () => {
      await store.create(newJob({ state: "running" }));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          store.transition("job-1", {
            from: ["running"],
            to: "running",
            patch: { progress: index },
            expectedVersion: 1,
          }),
        ),
      );
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      expect((await store.get("job-1"))?.version).toBe(2);
    });

    it("loses on a stale expectedVersion, a state outside from, or an unknown id", async () => {
      await store.create(newJob());
      const stale = { from: ["submitting"], to: "queued", expectedVersion: 7 } as const;
      expect(await store.transition("job-1", stale)).toBeUndefined();
      expect(await store.transition("job-1", { from: ["queued"], to: "running" })).toBeUndefined();
      expect(
        await store.transition("nope", { from: ["submitting"], to: "queued" }),
      ).toBeUndefined();
      expect(await store.get("job-1")).toMatchObject({ state: "submitting", version: 1 });
    });

    it("moves a job still in a from state even while other fields are written at the same time", async () => {
      await store.create(newJob());
      const writers = Array.from({ length: 10 }, async (_, index) => {
        const current = await peer.get("job-1");
        return (
          current && peer.update("job-1", { statusMessageId: `card-${index}` }, current.version)
        );
      });
      const [moved] = await Promise.all([
        store.transition("job-1", { from: ["submitting"], to: "queued", patch: { progress: 1 } }),
        ...writers,
      ]);
      expect(moved).toMatchObject({ state: "queued", progress: 1 });
      expect(await store.get("job-1")).toMatchObject({ state: "queued", progress: 1 });
    });

    it("refuses a write under an older claim's fence once a newer claim wrote, on any instance", async () => {
      await store.create(newJob());
      const newer = await peer.transition("job-1", {
        from: ["submitting"],
        to: "queued",
        patch: { providerJobId: "provider-newer" },
        fence: 8,
      });
      expect(newer).toMatchObject({ state: "queued", fence: 8 });
      const older = { from: ["queued"], to: "failed", fence: 7 } as const;
      expect(await store.transition("job-1", older)).toBeUndefined();
      expect(await store.transition("job-1", { ...older, fence: 8 })).toMatchObject({
        state: "failed",
        fence: 8,
      });
      expect(await peer.get("job-1")).toMatchObject({ state: "failed", version: 3 });
    });

    it("sets updatedAt from the clock, merges the patch and ignores undefined values", async () => {
      vi.useFakeTimers({ toFake: ["Date"], now: 5_000 });
      await store.create(newJob({ providerJobId: "task-1" }));
      const moved = await store.transition("job-1", {
        from: ["submitting"],
        to: "running",
        patch: loosePatch({ progress: 40, providerJobId: undefined, submittedAt: 4_000 }),
        expectedVersion: 1,
      });
      expect(moved).toMatchObject({ state: "running", version: 2, updatedAt: 5_000, progress: 40 });
      expect(moved).toMatchObject({
        providerJobId: "task-1",
        submittedAt: 4_000,
        createdAt: 1_000,
      });
      expect(await store.get("job-1")).toStrictEqual(moved);
    });

    it("throws on a transition allowedTransitions forbids, and changes nothing", async () => {
      await store.create(newJob());
      await expect(
        store.transition("job-1", { from: ["submitting"], to: "delivered" }),
      ).rejects.toThrow(/submitting/);
      await store.transition("job-1", { from: ["submitting"], to: "queued" });
      // delivering is allowed from succeeded, so only the matched state (queued) can tell.
      await expect(
        store.transition("job-1", { from: ["queued", "succeeded"], to: "delivering" }),
      ).rejects.toThrow(/queued/);
      expect(await store.get("job-1")).toMatchObject({ state: "queued", version: 2 });
    });

    it("delivers a completed job once when two completions race", async () => {
      await store.create(newJob({ state: "succeeded" }));
      const deliver = { from: ["succeeded"], to: "delivering" } as const;
      const results = await Promise.all([
        store.transition("job-1", deliver),
        store.transition("job-1", deliver),
      ]);
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
      expect(await store.transition("job-1", deliver)).toBeUndefined();
      expect(await store.get("job-1")).toMatchObject({ state: "delivering", version: 2 });
    });

    it("finds a job by its provider job id, set at creation or by a later write", async () => {
      await store.create(newJob({ providerJobId: "task-1" }));
      await store.create(newJob({ id: "job-2" }));
      await store.transition("job-2", {
        from: ["submitting"],
        to: "queued",
        patch: { providerJobId: "task-2" },
      });
      expect((await store.findByProviderJobId("byteplus", "task-1"))?.id).toBe("job-1");
      expect((await store.findByProviderJobId("byteplus", "task-2"))?.id).toBe("job-2");
      expect(await store.findByProviderJobId("other", "task-1")).toBeUndefined();
      expect(await store.findByProviderJobId("byteplus", "task-3")).toBeUndefined();
    });

    it("keeps a provider job id unique per provider", async () => {
      await store.create(newJob({ providerJobId: "task-1" }));
      await store.create(newJob({ id: "job-2", provider: "other", providerJobId: "task-1" }));
      await expect(store.create(newJob({ id: "job-3", providerJobId: "task-1" }))).rejects.toThrow(
        /task-1/,
      );
      await store.create(newJob({ id: "job-4" }));
      await expect(store.update("job-4", { providerJobId: "task-1" }, 1)).rejects.toThrow(/task-1/);
      expect(await store.get("job-3")).toBeUndefined();
      expect(await store.get("job-4")).toMatchObject({ version: 1 });
      expect(await store.get("job-4")).not.toHaveProperty("providerJobId");
    });

    it("lists jobs in the given states, oldest first", async () => {
      await store.create(newJob({ id: "late", createdAt: 3_000 }));
      await store.create(newJob({ id: "early", createdAt: 1_000, state: "running" }));
      await store.create(newJob({ id: "done", createdAt: 500, state: "delivered" }));
      await store.create(newJob({ id: "middle", createdAt: 2_000, state: "queued" }));
      const pending = await store.listByStates(["submitting", "queued", "running"]);
      expect(pending.map((job) => job.id)).toEqual(["early", "middle", "late"]);
      expect(await store.listByStates([])).toEqual([]);
    });

    it("lists one user's jobs newest first, up to the limit", async () => {
      const other = { ...newJob().origin, userId: "user-2" };
      const slack = { ...newJob().origin, platform: "slack" };
      await store.create(newJob({ id: "a", createdAt: 1_000 }));
      await store.create(newJob({ id: "b", createdAt: 3_000 }));
      await store.create(newJob({ id: "c", createdAt: 2_000 }));
      await store.create(newJob({ id: "d", createdAt: 2_000 }));
      await store.create(newJob({ id: "e", createdAt: 9_000, origin: other }));
      await store.create(newJob({ id: "f", createdAt: 9_000, origin: slack }));
      const ids = async (limit: number) =>
        (await store.listByUser("discord", "user-1", limit)).map((job) => job.id);
      expect(await ids(10)).toEqual(["b", "d", "c", "a"]);
      expect(await ids(2)).toEqual(["b", "d"]);
      expect(await ids(0)).toEqual([]);
    });

    it("lists one user's jobs in given states, oldest first", async () => {
      const other = { ...newJob().origin, userId: "user-2" };
      await store.create(newJob({ id: "late", createdAt: 3_000, state: "waiting" }));
      await store.create(newJob({ id: "early", createdAt: 1_000, state: "waiting" }));
      await store.create(newJob({ id: "busy", createdAt: 2_000, state: "running" }));
      await store.create(
        newJob({ id: "theirs", createdAt: 2_000, state: "waiting", origin: other }),
      );
      const waiting = await store.listByUserInStates("discord", "user-1", ["waiting"]);
      expect(waiting.map((job) => job.id)).toEqual(["early", "late"]);
      const both = await store.listByUserInStates("discord", "user-1", ["waiting", "running"]);
      expect(both.map((job) => job.id)).toEqual(["early", "busy", "late"]);
    });

    it("lists jobs created since a time, by user or by space, oldest first", async () => {
      const otherUser = { ...newJob().origin, userId: "user-2" };
      const otherSpace = { ...newJob().origin, spaceId: "guild-2" };
      const slack = { ...newJob().origin, platform: "slack" };
      await store.create(newJob({ id: "old", createdAt: 500 }));
      await store.create(newJob({ id: "late", createdAt: 3_000 }));
      await store.create(newJob({ id: "early", createdAt: 1_000 }));
      await store.create(newJob({ id: "friend", createdAt: 2_000, origin: otherUser }));
      await store.create(newJob({ id: "elsewhere", createdAt: 2_000, origin: otherSpace }));
      await store.create(newJob({ id: "slack", createdAt: 2_000, origin: slack }));
      const byUser = await store.listCreatedSince({ platform: "discord", userId: "user-1" }, 1_000);
      expect(byUser.map((job) => job.id)).toEqual(["early", "elsewhere", "late"]);
      const bySpace = await store.listCreatedSince(
        { platform: "discord", spaceId: "guild-1" },
        1_000,
      );
      expect(bySpace.map((job) => job.id)).toEqual(["early", "friend", "late"]);
    });

    it("updates fields other than state only at the expected version", async () => {
      await store.create(newJob({ state: "running" }));
      const updated = await store.update("job-1", { progress: 50, statusMessageId: "m-9" }, 1);
      expect(updated).toMatchObject({
        state: "running",
        version: 2,
        progress: 50,
        statusMessageId: "m-9",
      });
      expect(await store.update("job-1", { progress: 60 }, 1)).toBeUndefined();
      expect(await store.update("missing", { progress: 60 }, 1)).toBeUndefined();
      const kept = await store.update("job-1", loosePatch({ progress: undefined, attempts: 1 }), 2);
      expect(kept).toMatchObject({ version: 3, progress: 50, attempts: 1 });
      expect(await store.get("job-1")).toStrictEqual(kept);
      const sneaky = { state: "failed" } as unknown as JobPatch;
      await expect(store.update("job-1", sneaky, 3)).rejects.toThrow(/state/);
    });

    it("turns unhealthy on close, rejects further calls and closes twice quietly", async () => {
      expect(store.isHealthy()).toBe(true);
      await store.close();
      await store.close();
      expect(store.isHealthy()).toBe(false);
      await expect(store.get("job-1")).rejects.toThrow(/closed/);
      await expect(store.create(newJob())).rejects.toThrow(/closed/);
      await expect(
        store.transition("job-1", { from: ["submitting"], to: "queued" }),
      ).rejects.toThrow(/closed/);
    });

    it("keeps jobs across close and reopen", async (context) => {
      if (subject.reopen === undefined) return context.skip();
      await store.create(newJob({ providerJobId: "task-1" }));
      const written = await store.transition("job-1", {
        from: ["submitting"],
        to: "queued",
        patch: { submittedAt: 1_500 },
      });
      await store.close();
      const reopened = await subject.reopen();
      opened.push(reopened);
      expect(await reopened.get("job-1")).toStrictEqual(written);
      expect(await reopened.findByProviderJobId("byteplus", "task-1")).toStrictEqual(written);
    });
  });
}
