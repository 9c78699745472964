import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { instanceIdOf } from "../src/coordination/instance-id.ts";

function refusal(environment: Record<string, string>): string {
  try {
    loadConfig(environment);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("config: instances sharing a database", () => {
  it("takes over within 15 s by default: a 10 s lease renewed every 3 s, standbys trying every 2 s", () => {
    expect(loadConfig({}).instance).toEqual({
      id: undefined,
      leases: { ttlMs: 10_000, renewMs: 3_000, retryMs: 2_000 },
      workScanIntervalMs: 5_000,
    });
    expect(loadConfig({ INSTANCE_ID: "bot-2" }).instance.id).toBe("bot-2");
  });

  it("refuses a renewal as slow as the lease, and an INSTANCE_ID with spaces, naming each", () => {
    expect(refusal({ LEASE_TTL_MS: "2000", LEASE_RENEW_MS: "2000" })).toContain(
      "LEASE_RENEW_MS is 2000, not below LEASE_TTL_MS (2000)",
    );
    expect(refusal({ INSTANCE_ID: "bot two" })).toContain("INSTANCE_ID");
  });

  it("names an instance host-pid-random when INSTANCE_ID is unset", () => {
    const first = instanceIdOf(undefined);
    expect(first).toMatch(new RegExp(`^[A-Za-z0-9_.-]+-${process.pid}-[0-9a-f]{6}$`));
    expect(instanceIdOf("pod-a")).toBe("pod-a");
  });
});
