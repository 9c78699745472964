import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";

const token = "session-test-token-0123456789";
const hour = 3_600_000;

async function call(
  url: string,
  options: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: string } = {},
) {
  const response = await request(url, options);
  return {
    status: response.statusCode,
    headers: response.headers,
    text: await response.body.text(),
  };
}

const cookieOf = (headers: Record<string, unknown>) =>
  String(headers["set-cookie"] ?? "").split(";")[0] ?? "";

let stack: PlaygroundStack | undefined;
let clock = 1_800_000_000_000;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function start() {
  clock = 1_800_000_000_000;
  stack = await startPlaygroundStack({
    delayMs: 40,
    token,
    adapter: { now: () => clock, sessionTtlMs: 10 * hour, tokenAttempts: 3 },
  });
  return stack;
}

describe("playground sign-in, hostile visits", () => {
  it("redirects only to a path on this site (`/.//evil.example/` stays here)", async () => {
    const { baseUrl } = await start();
    for (const path of ["/.//evil.example/", "//evil.example/", "/\\evil.example/"]) {
      const visit = await call(`${baseUrl}${path}?token=${token}`);
      expect(visit.status).toBe(303);
      const location = String(visit.headers.location);
      expect(location.startsWith("/")).toBe(true);
      expect(location.startsWith("//")).toBe(false);
      expect(location.startsWith("/\\")).toBe(false);
      expect(new URL(location, baseUrl).origin).toBe(baseUrl);
    }
  });

  it("throttles wrong tokens per address; /healthz and the right holder keep working", async () => {
    const { baseUrl } = await start();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await call(`${baseUrl}/?token=wrong-guess-${attempt}`)).status).toBe(401);
    }
    const throttled = await call(`${baseUrl}/?token=wrong-guess-again`);
    expect(throttled.status).toBe(429);
    expect(throttled.text).toContain("Too many wrong tokens");
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    // Even the right token waits from this address; health does not.
    expect((await call(`${baseUrl}/?token=${token}`)).status).toBe(429);
    expect((await call(`${baseUrl}/healthz`)).status).toBe(200);
    clock += 61_000;
    expect((await call(`${baseUrl}/?token=${token}`)).status).toBe(303);
  });

  it("rotates the session cookie, expires it, and signs out", async () => {
    const { baseUrl } = await start();
    const first = cookieOf((await call(`${baseUrl}/?token=${token}`)).headers);
    const fresh = await call(`${baseUrl}/`, { headers: { cookie: first } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers["set-cookie"]).toBeUndefined();
    clock += 6 * hour;
    const rotated = await call(`${baseUrl}/`, { headers: { cookie: first } });
    expect(rotated.status).toBe(200);
    const second = cookieOf(rotated.headers);
    expect(second).not.toBe(first);
    clock += 5 * hour;
    expect((await call(`${baseUrl}/`, { headers: { cookie: first } })).status).toBe(401);
    expect((await call(`${baseUrl}/`, { headers: { cookie: second } })).status).toBe(200);

    const signOut = await call(`${baseUrl}/api/sign-out`, {
      method: "POST",
      headers: { cookie: second, "content-type": "application/json" },
      body: "{}",
    });
    expect(signOut.status).toBe(200);
    expect(String(signOut.headers["set-cookie"])).toContain("Max-Age=0");
    expect((await call(`${baseUrl}/`, { headers: { cookie: second } })).status).toBe(401);
    expect((await call(`${baseUrl}/healthz`)).status).toBe(200);
  });
});
