import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SpaceSettingsStore } from "../../src/settings/space-settings.ts";

export interface SpaceSettingsUnderTest {
  store: SpaceSettingsStore;
  /** A second store on the same storage, as another instance would open it; shared stores only. */
  peer?: () => Promise<SpaceSettingsStore>;
  /** Opens the same storage again after `store` was closed; durable stores only. */
  reopen?: () => Promise<SpaceSettingsStore>;
}

const guild = { platform: "discord", spaceId: "g1" };
const admin = { userId: "u-admin", userName: "Ada" };

/** The behaviour every SpaceSettingsStore shares. */
export function spaceSettingsContract(
  name: string,
  factory: () => Promise<SpaceSettingsUnderTest>,
): void {
  describe(`${name} (SpaceSettingsStore contract)`, () => {
    let subject: SpaceSettingsUnderTest;
    let store: SpaceSettingsStore;
    let peer: SpaceSettingsStore;
    const opened: SpaceSettingsStore[] = [];

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
      peer = subject.peer ? await subject.peer() : store;
      opened.push(store, peer);
    });

    afterEach(async () => {
      for (const each of opened.splice(0)) await each.close();
    });

    it("starts with nothing set at version 0, per platform and space", async () => {
      expect(await store.get(guild)).toEqual({ settings: {}, version: 0 });
      await store.update(guild, {
        expectedVersion: 0,
        settings: { maxDuration: 8 },
        by: admin,
        at: 1_000,
      });
      expect(await peer.get({ platform: "slack", spaceId: "g1" })).toEqual({
        settings: {},
        version: 0,
      });
      expect(await peer.get({ platform: "discord", spaceId: "g2" })).toEqual({
        settings: {},
        version: 0,
      });
    });

    it("saves on the expected version only, and records who changed what, newest first", async () => {
      const first = await store.update(guild, {
        expectedVersion: 0,
        settings: { maxDuration: 8, allowedChannels: ["c1", "c2"] },
        by: admin,
        at: 1_000,
      });
      expect(first).toEqual({
        settings: { maxDuration: 8, allowedChannels: ["c1", "c2"] },
        version: 1,
      });
      const second = await peer.update(guild, {
        expectedVersion: 1,
        settings: { maxDuration: 6, allowedChannels: ["c1", "c2"], maxResolution: "720p" },
        by: { userId: "u-bob" },
        at: 2_000,
      });
      expect(second?.version).toBe(2);
      // A save based on version 1 lost the race: nothing changes, nothing is recorded.
      expect(
        await store.update(guild, {
          expectedVersion: 1,
          settings: { maxDuration: 12 },
          by: admin,
          at: 3_000,
        }),
      ).toBeUndefined();
      expect(await store.get(guild)).toEqual({
        settings: { maxDuration: 6, allowedChannels: ["c1", "c2"], maxResolution: "720p" },
        version: 2,
      });
      expect(await peer.history(guild, 10)).toEqual([
        {
          version: 2,
          changedAt: 2_000,
          changedBy: { userId: "u-bob" },
          changes: [
            { field: "maxDuration", from: 8, to: 6 },
            { field: "maxResolution", to: "720p" },
          ],
        },
        {
          version: 1,
          changedAt: 1_000,
          changedBy: admin,
          changes: [
            { field: "maxDuration", to: 8 },
            { field: "allowedChannels", to: ["c1", "c2"] },
          ],
        },
      ]);
      expect(await store.history(guild, 1)).toHaveLength(1);
    });

    it("clears a field by leaving it out; a save that changes nothing writes nothing", async () => {
      await store.update(guild, {
        expectedVersion: 0,
        settings: { dailySecondsPerUser: 60, defaultResolution: "480p" },
        by: admin,
        at: 1_000,
      });
      const same = await store.update(guild, {
        expectedVersion: 1,
        settings: { dailySecondsPerUser: 60, defaultResolution: "480p" },
        by: admin,
        at: 2_000,
      });
      expect(same).toEqual({
        settings: { dailySecondsPerUser: 60, defaultResolution: "480p" },
        version: 1,
      });
      const cleared = await store.update(guild, {
        expectedVersion: 1,
        settings: { defaultResolution: "480p", dailySecondsPerUser: undefined },
        by: admin,
        at: 3_000,
      });
      expect(cleared).toEqual({ settings: { defaultResolution: "480p" }, version: 2 });
      const [latest] = await store.history(guild, 5);
      expect(latest?.changes).toEqual([{ field: "dailySecondsPerUser", from: 60 }]);
      expect(await store.history(guild, 5)).toHaveLength(2);
    });

    it("lets exactly one of two saves on the same version win", async () => {
      const saves = await Promise.all(
        [3, 4, 5, 6].map((seconds, index) =>
          (index % 2 === 0 ? store : peer).update(guild, {
            expectedVersion: 0,
            settings: { maxDuration: seconds + 2 },
            by: { userId: `u${index}` },
            at: 1_000 + index,
          }),
        ),
      );
      expect(saves.filter((save) => save !== undefined)).toHaveLength(1);
      expect((await store.get(guild)).version).toBe(1);
      expect(await store.history(guild, 10)).toHaveLength(1);
    });

    it("keeps settings and their history across a reopen", async () => {
      if (!subject.reopen) return;
      await store.update(guild, {
        expectedVersion: 0,
        settings: { dailySecondsPerSpace: 600 },
        by: admin,
        at: 1_000,
      });
      await store.close();
      const reopened = await subject.reopen();
      opened.push(reopened);
      expect(await reopened.get(guild)).toEqual({
        settings: { dailySecondsPerSpace: 600 },
        version: 1,
      });
      expect(await reopened.history(guild, 5)).toHaveLength(1);
    });

    it("refuses calls once closed", async () => {
      await store.close();
      await expect(store.get(guild)).rejects.toThrow(/closed/);
    });
  });
}
