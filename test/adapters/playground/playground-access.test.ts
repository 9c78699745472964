import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PlaygroundStack, startPlaygroundStack } from "./playground-stack.ts";

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

describe("playground access", () => {
  describe("with PLAYGROUND_TOKEN", () => {
    const token = "playground-token-for-tests";
    let stack: PlaygroundStack;

    beforeAll(async () => {
      stack = await startPlaygroundStack({ delayMs: 40, token });
    });
    afterAll(() => stack.close());

    it("turns away visitors without the token", async () => {
      expect((await call(`${stack.baseUrl}/`)).status).toBe(401);
      expect((await call(`${stack.baseUrl}/api/events`)).status).toBe(401);
      expect((await call(`${stack.baseUrl}/?token=wrong`)).status).toBe(401);
    });

    it("lets a ?token= visit in once, then by cookie, with the token gone from the address", async () => {
      const visit = await call(`${stack.baseUrl}/?token=${token}`);
      expect(visit.status).toBe(303);
      expect(visit.headers.location).toBe("/");
      const cookie = String(visit.headers["set-cookie"]);
      expect(cookie).toMatch(/HttpOnly; SameSite=Strict/);
      expect(cookie).not.toContain(token);
      const page = await call(`${stack.baseUrl}/`, {
        headers: { cookie: cookie.split(";")[0] ?? "" },
      });
      expect(page.status).toBe(200);
      expect(page.text).toContain("Seedance playground");
    });

    it("accepts Authorization: Bearer for the API", async () => {
      const answer = await call(`${stack.baseUrl}/api/messages`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ clientRequestId: "abcdefgh", threadId: "thread-1", text: "/jobs" }),
      });
      expect(answer.status).toBe(200);
    });

    it("gives an address to print that never carries the token", () => {
      expect(stack.adapter.url).toBe(`${stack.baseUrl}/`);
    });
  });

  describe("without a token (loopback only)", () => {
    let stack: PlaygroundStack;

    beforeAll(async () => {
      stack = await startPlaygroundStack({ delayMs: 40 });
    });
    afterAll(() => stack.close());

    it("serves the page with a strict content security policy, and nothing else by path", async () => {
      const page = await call(`${stack.baseUrl}/`);
      expect(page.status).toBe(200);
      expect(page.headers["content-security-policy"]).toMatch(/script-src 'self'/);
      expect((await call(`${stack.baseUrl}/static/app.js`)).status).toBe(200);
      expect((await call(`${stack.baseUrl}/static/../package.json`)).status).toBe(404);
      expect((await call(`${stack.baseUrl}/static/playground-adapter.ts`)).status).toBe(404);
    });

    it("refuses other host names (DNS rebinding) and cross-site writes", async () => {
      expect((await call(`${stack.baseUrl}/`, { headers: { host: "evil.example" } })).status).toBe(
        403,
      );
      const crossSite = await call(`${stack.baseUrl}/api/messages`, {
        method: "POST",
        headers: { origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify({
          clientRequestId: "abcdefgh",
          threadId: "thread-1",
          text: "/video a boat",
        }),
      });
      expect(crossSite.status).toBe(403);
      expect(stack.submissions()).toBe(0);
    });

    it("leaves routes registered before it alone (the signed media route)", async () => {
      expect(
        (
          await call(
            `${stack.baseUrl}/media/${"A".repeat(24)}?expires=1&signature=${"0".repeat(64)}`,
          )
        ).status,
      ).toBe(403);
    });
  });
});
