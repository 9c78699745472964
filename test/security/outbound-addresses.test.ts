import type { LookupFunction } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpAgent } from "../../src/http/http-agent.ts";
import { BlockedAddressError, OutboundGuard } from "../../src/http/outbound-guard.ts";
import { isPublicAddress } from "../../src/http/public-address.ts";
import { startLoopbackTrap } from "../inputs/support/loopback-trap.ts";
import { tableLookup } from "./support/table-lookup.ts";

describe("which addresses count as public", () => {
  it.each([
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "fd00::1",
    "fc00::5",
    "::ffff:10.0.0.1",
    "::ffff:a00:1",
    "::ffff:127.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",
    "2002:a00:1::1",
    "2001:db8::1",
    "not an address",
  ])("%s is not", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "151.101.1.1",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
  ])("%s is", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("the guarded agent", () => {
  let trap: Awaited<ReturnType<typeof startLoopbackTrap>>;
  beforeAll(async () => {
    trap = await startLoopbackTrap();
  });
  afterAll(async () => {
    await trap.close();
  });

  async function refusal(url: string, agent: ReturnType<typeof createHttpAgent>) {
    return await request(url, { dispatcher: agent }).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it("connects to a trusted host on loopback, and to nothing else there", async () => {
    const agent = createHttpAgent({ trustedHosts: [`127.0.0.1:${trap.port}`] });
    try {
      const allowed = await request(`http://127.0.0.1:${trap.port}/ok.png`, { dispatcher: agent });
      await allowed.body.dump();
      expect(allowed.statusCode).toBe(200);
      const other = createHttpAgent();
      for (const url of trap.urls) {
        expect(await refusal(url, other)).toBeInstanceOf(BlockedAddressError);
      }
      await other.close();
      // Only the trusted request arrived; `localhost`, decimal and hex spellings did not.
      expect(trap.hits).toEqual(["GET /ok.png "]);
    } finally {
      await agent.close();
    }
  });

  it("checks the address a name resolves to when connecting, so a rebinding name cannot slip by", async () => {
    let answers = 0;
    // First answer public (a check made ahead would pass), every later one the trap on loopback.
    const lookup = ((
      _hostname: string,
      options: { all?: boolean },
      callback: (error: null, address: unknown, family?: number) => void,
    ) => {
      answers++;
      const address = answers === 1 ? "93.184.216.34" : "127.0.0.1";
      return options.all ? callback(null, [{ address, family: 4 }]) : callback(null, address, 4);
    }) as unknown as LookupFunction;
    const guard = new OutboundGuard({ lookup });
    await guard.check(new URL("http://rebind.test/"));
    const agent = createHttpAgent({ guard });
    const error = await refusal(`http://rebind.test:${trap.port}/steal`, agent);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toContain("127.0.0.1");
    expect(trap.hits.filter((hit) => hit.includes("/steal"))).toEqual([]);
    await agent.close();
  });

  it("refuses a name with any private answer among public ones", async () => {
    const lookup = tableLookup({ "mixed.test": ["93.184.216.34", "10.0.0.1"] });
    const guard = new OutboundGuard({ lookup });
    await expect(guard.check(new URL("https://mixed.test/x"))).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
  });
});
