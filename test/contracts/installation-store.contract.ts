import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  InstallationStore,
  StoredInstallation,
} from "../../src/installations/installation-store.ts";

export interface InstallationStoreUnderTest {
  store: InstallationStore;
  /** Opens the same storage again after `store` was closed; given by durable stores only. */
  reopen?: () => Promise<InstallationStore>;
  /** What the storage holds in its secret column, as written (durable stores only). */
  storedSecrets?: () => Promise<string[]>;
  /** Swaps two rows' secrets in the storage, as someone with write access to it could. */
  swapSecrets?: (first: string, second: string) => Promise<void>;
}

function installation(teamId: string, token: string): StoredInstallation {
  return {
    platform: "slack",
    id: `team:${teamId}`,
    teamId,
    secret: JSON.stringify({ team: { id: teamId }, bot: { token } }),
    installedAt: 1_000,
  };
}

/** The behaviour every InstallationStore shares. */
export function installationStoreContract(
  name: string,
  factory: () => Promise<InstallationStoreUnderTest>,
): void {
  describe(`${name} (InstallationStore contract)`, () => {
    let subject: InstallationStoreUnderTest;
    let store: InstallationStore;

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });

    afterEach(async () => {
      await store.close();
    });

    it("finds each workspace's own installation, and nothing for one never installed", async () => {
      await store.save(installation("T1", "xoxb-one"));
      await store.save(installation("T2", "xoxb-two"));
      expect(await store.find({ platform: "slack", id: "team:T1" })).toEqual(
        installation("T1", "xoxb-one"),
      );
      expect((await store.find({ platform: "slack", id: "team:T2" }))?.secret).toContain(
        "xoxb-two",
      );
      expect(await store.find({ platform: "slack", id: "team:T3" })).toBeUndefined();
      expect(await store.find({ platform: "other", id: "team:T1" })).toBeUndefined();
      expect(await store.list("slack")).toEqual([
        { platform: "slack", id: "team:T1" },
        { platform: "slack", id: "team:T2" },
      ]);
    });

    it("replaces an installation on re-install and keeps an enterprise's apart from a team's", async () => {
      await store.save(installation("T1", "xoxb-old"));
      await store.save({ ...installation("T1", "xoxb-new"), installedAt: 2_000 });
      const enterprise: StoredInstallation = {
        platform: "slack",
        id: "enterprise:E1",
        enterpriseId: "E1",
        secret: '{"bot":{"token":"xoxb-org"}}',
        installedAt: 3_000,
      };
      await store.save(enterprise);
      expect(await store.find({ platform: "slack", id: "team:T1" })).toEqual({
        ...installation("T1", "xoxb-new"),
        installedAt: 2_000,
      });
      expect(await store.find({ platform: "slack", id: "enterprise:E1" })).toEqual(enterprise);
    });

    it("deletes one installation and leaves the others", async () => {
      await store.save(installation("T1", "xoxb-one"));
      await store.save(installation("T2", "xoxb-two"));
      expect(await store.delete({ platform: "slack", id: "team:T1" })).toBe(true);
      expect(await store.delete({ platform: "slack", id: "team:T1" })).toBe(false);
      expect(await store.find({ platform: "slack", id: "team:T1" })).toBeUndefined();
      expect(await store.list("slack")).toEqual([{ platform: "slack", id: "team:T2" }]);
    });

    it("refuses work once closed", async () => {
      await store.close();
      await expect(store.find({ platform: "slack", id: "team:T1" })).rejects.toThrow(/closed/);
      await expect(store.save(installation("T1", "xoxb-one"))).rejects.toThrow(/closed/);
    });

    it("keeps installations across a reopen, with no token readable at rest", async (context) => {
      if (!subject.reopen || !subject.storedSecrets) return context.skip();
      await store.save(installation("T1", "xoxb-secret-one"));
      await store.close();
      store = await subject.reopen();
      expect(await store.find({ platform: "slack", id: "team:T1" })).toEqual(
        installation("T1", "xoxb-secret-one"),
      );
      const stored = await subject.storedSecrets();
      expect(stored).toHaveLength(1);
      expect(stored.join("\n")).not.toContain("xoxb");
    });

    it("refuses a secret moved onto another workspace's row rather than serving it there", async (context) => {
      if (!subject.swapSecrets) return context.skip();
      await store.save(installation("T1", "xoxb-one"));
      await store.save(installation("T2", "xoxb-two"));
      await subject.swapSecrets("team:T1", "team:T2");
      await expect(store.find({ platform: "slack", id: "team:T1" })).rejects.toThrow();
      await expect(store.find({ platform: "slack", id: "team:T2" })).rejects.toThrow();
    });
  });
}
