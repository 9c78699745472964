import { afterEach, expect, it, vi } from "vitest";
import type { CoordinationStore } from "../../src/coordination/coordination.ts";
import { LeaseKeeper } from "../../src/coordination/lease-keeper.ts";
import { createMemoryCoordination } from "../../src/coordination/memory-coordination.ts";
import { createSilentLogger } from "../../src/logger.ts";

const timings = { ttlMs: 10_000, renewMs: 3_000, retryMs: 2_000 };

afterEach(() => {
  vi.useRealTimers();
});

/** The store as one instance sees it: `reachable` false is a network partition between it and the database. */
function partitionable(store: CoordinationStore) {
  const view = { reachable: true };
  const guarded = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...parameters: unknown[]) => {
        if (!view.reachable) return Promise.reject(new Error("connection refused"));
        return value.apply(target, parameters);
      };
    },
  });
  return { store: guarded, view };
}

function keeper(coordination: CoordinationStore, holder: string, events: string[]) {
  return new LeaseKeeper({
    coordination,
    name: "provider-follower",
    holder,
    timings,
    logger: createSilentLogger(),
    now: () => Date.now(),
    onAcquired: async (lease) => {
      events.push(`${holder} acquired #${lease.token}`);
    },
    onLost: async () => {
      events.push(`${holder} lost`);
    },
  });
}

it("keeps one holder while it renews, and a standby takes over only after the holder gave the lease up", async () => {
  vi.useFakeTimers({ now: 1_000_000 });
  const shared = createMemoryCoordination({ now: () => Date.now() });
  const first = partitionable(shared);
  const events: string[] = [];
  const holder = keeper(first.store, "a", events);
  const standby = keeper(shared, "b", events);
  await holder.start();
  await standby.start();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(events).toEqual(["a acquired #1"]);
  expect(standby.held()).toBeUndefined();

  // Cut off from the database, the holder keeps the lease until it would lapse, then gives it up; the
  // standby sees it lapse at the same moment and takes it with a greater fencing token.
  first.view.reachable = false;
  await vi.advanceTimersByTimeAsync(20_000);
  expect(events).toEqual(["a acquired #1", "a lost", "b acquired #2"]);
  expect(holder.held()).toBeUndefined();
  first.view.reachable = true;
  await vi.advanceTimersByTimeAsync(30_000);
  expect(events).toHaveLength(3);

  // A clean stop releases at once: the old holder wins it back on its next try.
  await standby.stop();
  await vi.advanceTimersByTimeAsync(timings.retryMs);
  expect(events).toEqual(["a acquired #1", "a lost", "b acquired #2", "b lost", "a acquired #3"]);
  await holder.stop();
});
