import { request } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import { type FalUnderTest, falAgainstFake, falSubmitInput } from "./fal-test-helpers.ts";

const minute = 60_000;

/**
 * One 10-minute generation (queued 1 min, then running), followed by polling alone or with
 * webhooks; returns every request fal received for it.
 */
async function followTenMinutes(subject: FalUnderTest) {
  const { provider, fake } = subject;
  const { providerJobId } = await provider.submit(falSubmitInput({ duration: 10 }));
  for (let elapsed = 0; elapsed < 20 * minute; elapsed += 1_000) {
    if (elapsed === minute) fake.start(providerJobId);
    if (elapsed === 10 * minute) await fake.complete(providerJobId);
    await vi.advanceTimersByTimeAsync(1_000);
    await provider.idle();
    if (subject.listener.updates.some((update) => update.state === "succeeded")) break;
  }
  return { providerJobId, requests: fake.requests.length };
}

describe("fal.ai updates: one shared poller, webhooks as a hint", () => {
  let subject: FalUnderTest;
  let server: HttpServer | undefined;

  afterEach(async () => {
    vi.useRealTimers();
    await subject.close();
    await server?.close();
    server = undefined;
  });

  const useFakeTime = () =>
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });

  it("polls a 10-minute generation with at most 15 requests, and delivers it once", async () => {
    useFakeTime();
    subject = await falAgainstFake();
    const { providerJobId, requests } = await followTenMinutes(subject);
    expect(requests).toBeLessThanOrEqual(15);
    expect(subject.listener.updates.filter((update) => update.state === "succeeded")).toEqual([
      expect.objectContaining({ providerJobId, resultUrl: expect.any(String) }),
    ]);
  });

  it("with webhooks, follows a 10-minute generation with at most 4 requests", async () => {
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    useFakeTime();
    subject = await falAgainstFake({
      provider: { callbackBaseUrl: `http://127.0.0.1:${address.port}` },
    });
    const route = subject.provider.callbackRoute;
    if (!route) throw new Error("webhooks should be on");
    server.route("POST", route.path, route.handler);
    const { providerJobId, requests } = await followTenMinutes(subject);
    expect(subject.fake.webhooksSent).toEqual([{ url: expect.any(String), status: 200 }]);
    expect(subject.fake.submits()[0]?.query.get("fal_webhook")).toMatch(
      /\/provider-callbacks\/fal\/[\w-]{32}$/,
    );
    expect(requests).toBeLessThanOrEqual(4);
    expect(subject.listener.updates.filter((update) => update.state === "succeeded")).toEqual([
      expect.objectContaining({ providerJobId }),
    ]);
  });

  it("believes a webhook only after reading the request back from fal", async () => {
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    const baseUrl = `http://127.0.0.1:${address.port}`;
    subject = await falAgainstFake({ provider: { callbackBaseUrl: baseUrl } });
    const route = subject.provider.callbackRoute;
    if (!route) throw new Error("webhooks should be on");
    server.route("POST", route.path, route.handler);
    const { providerJobId } = await subject.provider.submit(falSubmitInput());
    const forged = {
      request_id: providerJobId,
      status: "OK",
      payload: { video: { url: "https://evil.example/x.mp4" } },
    };
    const webhookUrl = subject.fake.submits()[0]?.query.get("fal_webhook") ?? "";
    const answer = await request(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(forged),
    });
    await answer.body.dump();
    expect(answer.statusCode).toBe(200);
    await subject.provider.idle();
    expect(subject.listener.updates.some((update) => update.state === "succeeded")).toBe(false);
    const wrongSecret = await request(`${baseUrl}${route.path}not-the-secret-not-the-secret-00`, {
      method: "POST",
      body: JSON.stringify(forged),
    });
    await wrongSecret.body.dump();
    expect(wrongSecret.statusCode).toBe(404);
  });
});
