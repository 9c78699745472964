import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CoordinationStore } from "../../src/coordination/coordination.ts";

export interface CoordinationUnderTest {
  store: CoordinationStore;
  /** A second store on the same storage, as another instance would open it; given by shared stores only. */
  peer?: () => Promise<CoordinationStore>;
  /** Opens the same storage again after `store` was closed; given by durable stores only. */
  reopen?: () => Promise<CoordinationStore>;
}

/** The behaviour every CoordinationStore shares; each gets the test's clock, so nothing waits for real time. */
export function coordinationContract(
  name: string,
  factory: (now: () => number) => Promise<CoordinationUnderTest>,
): void {
  describe(`${name} (CoordinationStore contract)`, () => {
    let time: number;
    let subject: CoordinationUnderTest;
    let store: CoordinationStore;
    let peer: CoordinationStore;
    const opened: CoordinationStore[] = [];

    beforeEach(async () => {
      time = 1_000_000;
      subject = await factory(() => time);
      store = subject.store;
      peer = subject.peer ? await subject.peer() : store;
      opened.push(store, peer);
    });

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
    });

    describe("leases", () => {
      it("holds a lease for one holder until it lapses; its holder renews it and keeps the token", async () => {
        const first = await store.acquireLease("sweep", "a", 10_000);
        expect(first).toEqual({
          name: "sweep",
          holder: "a",
          token: expect.any(Number),
          expiresAt: 1_010_000,
        });
        expect(await peer.acquireLease("sweep", "b", 10_000)).toBeUndefined();
        time += 4_000;
        expect(await store.acquireLease("sweep", "a", 10_000)).toEqual({
          ...first,
          expiresAt: 1_014_000,
        });
        time += 5_000;
        expect(await peer.renewLease("sweep", "a", 10_000)).toEqual({
          ...first,
          expiresAt: 1_019_000,
        });
        expect(await store.renewLease("sweep", "b", 10_000)).toBeUndefined();
      });

      it("renews many of one holder's leases at once, leaving out those it no longer holds", async () => {
        const first = await store.acquireLease("job:1", "a", 10_000);
        await store.acquireLease("job:2", "a", 1_000);
        await peer.acquireLease("job:3", "b", 10_000);
        time += 2_000;
        expect(await peer.renewLeases(["job:1", "job:2", "job:3", "job:4"], "a", 10_000)).toEqual([
          "job:1",
        ]);
        expect(await store.listLeases({ holder: "a" })).toEqual([
          { ...first, expiresAt: 1_012_000 },
        ]);
        expect(await store.renewLeases([], "a", 10_000)).toEqual([]);
      });

      it("passes a lapsed or released lease to a new holder with a greater token", async () => {
        const first = await store.acquireLease("sweep", "a", 10_000);
        time += 10_000;
        expect(await store.renewLease("sweep", "a", 10_000)).toBeUndefined();
        const second = await peer.acquireLease("sweep", "b", 10_000);
        expect(second?.token).toBeGreaterThan(first?.token ?? Infinity);
        expect(await store.releaseLease("sweep", "a")).toBe(false);
        expect(await peer.releaseLease("sweep", "b")).toBe(true);
        const third = await store.acquireLease("sweep", "a", 10_000);
        expect(third?.token).toBeGreaterThan(second?.token ?? Infinity);
      });

      it("lists live leases by name, by holder or name prefix", async () => {
        await store.acquireLease("shard:1", "a", 10_000);
        await store.acquireLease("shard:0", "b", 10_000);
        await store.acquireLease("sweep", "a", 10_000);
        await store.acquireLease("gone", "a", 1_000);
        time += 1_000;
        const names = (leases: { name: string }[]) => leases.map((lease) => lease.name);
        expect(names(await peer.listLeases())).toEqual(["shard:0", "shard:1", "sweep"]);
        expect(names(await peer.listLeases({ holder: "a" }))).toEqual(["shard:1", "sweep"]);
        expect(names(await peer.listLeases({ prefix: "shard:" }))).toEqual(["shard:0", "shard:1"]);
        expect(names(await peer.listLeases({ holder: "b", prefix: "sw" }))).toEqual([]);
      });

      it("gives a lease to exactly one of ten holders racing on two instances", async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 === 0 ? store : peer).acquireLease("sweep", `holder-${index}`, 10_000),
          ),
        );
        const winners = results.filter((lease) => lease !== undefined);
        expect(winners).toHaveLength(1);
        expect(await store.listLeases()).toEqual(winners);
      });
    });

    describe("idempotency keys", () => {
      it("lets the first claim win and tells later ones its value while it lives", async () => {
        expect(await store.claimKey("slack:event:1", "job-1", 60_000)).toEqual({
          claimed: true,
          expiresAt: 1_060_000,
        });
        time += 59_999;
        expect(await peer.claimKey("slack:event:1", "job-2", 60_000)).toEqual({
          claimed: false,
          value: "job-1",
          expiresAt: 1_060_000,
        });
        time += 1;
        expect(await peer.claimKey("slack:event:1", "job-3", 60_000)).toMatchObject({
          claimed: true,
        });
        expect(await store.claimKey("slack:event:1", "job-4", 60_000)).toMatchObject({
          claimed: false,
          value: "job-3",
        });
      });

      it("lets exactly one of ten racing claims win; the others see its value", async () => {
        const claims = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 === 0 ? store : peer).claimKey("click:1", `value-${index}`, 60_000),
          ),
        );
        const winners = claims.flatMap((claim, index) => (claim.claimed ? [`value-${index}`] : []));
        expect(winners).toHaveLength(1);
        for (const claim of claims) {
          if (!claim.claimed) expect(claim.value).toBe(winners[0]);
        }
      });
    });

    describe("shared values", () => {
      it("sets and gets values, each write with a greater version, until a TTL lapses", async () => {
        expect(await store.getValue("gateway")).toBeUndefined();
        const first = await store.setValue("gateway", "shards=2");
        expect(first).toEqual({
          value: "shards=2",
          version: expect.any(Number),
          expiresAt: undefined,
        });
        expect(await peer.getValue("gateway")).toEqual(first);
        const second = await peer.setValue("gateway", "shards=4", { ttlMs: 5_000 });
        expect(second.version).toBeGreaterThan(first.version);
        expect(second.expiresAt).toBe(1_005_000);
        time += 5_000;
        expect(await store.getValue("gateway")).toBeUndefined();
      });

      it("compares and sets on the version, or on absence", async () => {
        const created = await store.compareAndSetValue("cursor", "absent", "1");
        expect(created).toMatchObject({ value: "1" });
        expect(await peer.compareAndSetValue("cursor", "absent", "x")).toBeUndefined();
        const next = await peer.compareAndSetValue("cursor", created?.version ?? 0, "2", {
          ttlMs: 1_000,
        });
        expect(next).toMatchObject({ value: "2", expiresAt: 1_001_000 });
        expect(
          await store.compareAndSetValue("cursor", created?.version ?? 0, "3"),
        ).toBeUndefined();
        time += 1_000;
        expect(await store.compareAndSetValue("cursor", next?.version ?? 0, "4")).toBeUndefined();
        expect(await store.compareAndSetValue("cursor", "absent", "5")).toMatchObject({
          value: "5",
        });
        expect((await peer.getValue("cursor"))?.value).toBe("5");
      });

      it("lets one of ten racing compare-and-sets from the same version win", async () => {
        const { version } = await store.setValue("cursor", "0");
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            (index % 2 === 0 ? store : peer).compareAndSetValue("cursor", version, `${index}`),
          ),
        );
        const winners = results.filter((result) => result !== undefined);
        expect(winners).toHaveLength(1);
        expect(await store.getValue("cursor")).toEqual(winners[0]);
      });
    });

    it("purges what expired, keeps what lives, and never reuses a token or version", async () => {
      const old = await store.acquireLease("sweep", "a", 1_000);
      await store.claimKey("key", "v", 1_000);
      await store.setValue("short", "v", { ttlMs: 1_000 });
      await store.setValue("forever", "v");
      await store.acquireLease("live", "a", 60_000);
      time += 1_000;
      expect(await store.purgeExpired()).toBe(3);
      expect(await store.purgeExpired()).toBe(0);
      expect((await store.getValue("forever"))?.value).toBe("v");
      expect(await store.listLeases()).toMatchObject([{ name: "live" }]);
      const again = await peer.acquireLease("sweep", "a", 1_000);
      expect(again?.token).toBeGreaterThan(old?.token ?? Infinity);
    });

    it("refuses a TTL that is not a whole number of milliseconds above 0", async () => {
      await expect(store.acquireLease("sweep", "a", 0)).rejects.toThrow(RangeError);
      await expect(store.claimKey("key", "v", 1.5)).rejects.toThrow(/ttlMs 1.5/);
      await expect(store.setValue("key", "v", { ttlMs: -1 })).rejects.toThrow(RangeError);
    });

    it("turns unhealthy on close, rejects further calls and closes twice quietly", async () => {
      expect(store.isHealthy()).toBe(true);
      await store.close();
      await store.close();
      expect(store.isHealthy()).toBe(false);
      await expect(store.acquireLease("sweep", "a", 1_000)).rejects.toThrow(/closed/);
      await expect(store.getValue("key")).rejects.toThrow(/closed/);
    });

    it("keeps leases, keys and values across close and reopen", async (context) => {
      if (subject.reopen === undefined) return context.skip();
      const lease = await store.acquireLease("sweep", "a", 10_000);
      await store.claimKey("key", "first", 10_000);
      const value = await store.setValue("cursor", "7");
      await store.close();
      const reopened = await subject.reopen();
      opened.push(reopened);
      expect(await reopened.listLeases()).toEqual([lease]);
      expect(await reopened.claimKey("key", "second", 10_000)).toMatchObject({ value: "first" });
      expect(await reopened.getValue("cursor")).toEqual(value);
    });
  });
}
