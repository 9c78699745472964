import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnvironment } from "../../src/config.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { type ReverseProxy, startReverseProxy } from "./support/reverse-proxy.ts";

const publicHost = "bot.example.com";
const token = "proxy-test-token-0123456789";
const message = JSON.stringify({
  clientRequestId: "abcdefgh",
  threadId: "thread-1",
  text: "/video a boat",
});

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

let stack: PlaygroundStack | undefined;
let proxy: ReverseProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await stack?.close();
  proxy = undefined;
  stack = undefined;
});

async function behindProxy(mode: "public-host" | "rewritten-host", withToken: boolean) {
  stack = await startPlaygroundStack({ delayMs: 40, ...(withToken ? { token } : {}) });
  const targetPort = Number(new URL(stack.baseUrl).port);
  proxy = await startReverseProxy({ targetPort, publicHost, mode });
  return { stack, proxy };
}

describe("the playground behind a reverse proxy on this machine", () => {
  for (const mode of ["public-host", "rewritten-host"] as const) {
    it(`without PLAYGROUND_TOKEN (${mode}): serves nothing, spends nothing; /healthz still answers`, async () => {
      const { stack, proxy } = await behindProxy(mode, false);
      for (const path of ["/", "/static/app.js", "/api/events"]) {
        const answer = await call(`${proxy.url}${path}`);
        expect(answer.status).toBe(403);
        expect(answer.text).toContain("PLAYGROUND_TOKEN");
        expect(answer.text).not.toContain("Seedance playground");
      }
      const post = await call(`${proxy.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: message,
      });
      expect(post.status).toBe(403);
      expect(stack.submissions()).toBe(0);
      expect((await call(`${proxy.url}/healthz`)).status).toBe(200);
      // The same page opened on this machine itself still works.
      expect((await call(`${stack.baseUrl}/`)).status).toBe(200);
    });
  }

  it("with PLAYGROUND_TOKEN: only the token opens it", async () => {
    const { proxy } = await behindProxy("public-host", true);
    expect((await call(`${proxy.url}/`)).status).toBe(401);
    expect((await call(`${proxy.url}/?token=not-the-token-at-all`)).status).toBe(401);
    const visit = await call(`${proxy.url}/?token=${token}`);
    expect(visit.status).toBe(303);
    const cookie = String(visit.headers["set-cookie"]).split(";")[0] ?? "";
    const page = await call(`${proxy.url}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("Seedance playground");
    const bearer = await call(`${proxy.url}/api/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ clientRequestId: "abcdefgh", threadId: "thread-1", text: "/jobs" }),
    });
    expect(bearer.status).toBe(200);
  });

  it("start-up: PUBLIC_BASE_URL without PLAYGROUND_TOKEN stops with one line naming it", () => {
    let text = "";
    try {
      parseEnvironment({ PUBLIC_BASE_URL: `https://${publicHost}` });
    } catch (error) {
      text = (error as Error).message;
    }
    expect(text.split("\n")).toHaveLength(1);
    expect(text).toContain("PLAYGROUND_TOKEN is required when PUBLIC_BASE_URL is set");
    expect(
      parseEnvironment({ PUBLIC_BASE_URL: `https://${publicHost}`, PLAYGROUND_TOKEN: token })
        .playground?.token,
    ).toBe(token);
    // A loopback PUBLIC_BASE_URL changes nothing.
    expect(parseEnvironment({ PUBLIC_BASE_URL: "http://127.0.0.1:3000" }).playground).toBeDefined();
  });
});
