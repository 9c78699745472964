import { request } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import {
  arkSubmitInput,
  type BytePlusUnderTest,
  byteplusAgainstFake,
} from "./byteplus-test-helpers.ts";

const minute = 60_000;

/** One 10-minute task (queued 1 min, then running); returns every request Ark received. */
async function followTenMinutes(subject: BytePlusUnderTest) {
  const { provider, fake } = subject;
  const { providerJobId } = await provider.submit(arkSubmitInput({ duration: 10 }));
  for (let elapsed = 0; elapsed < 20 * minute; elapsed += 1_000) {
    if (elapsed === minute) await fake.start(providerJobId);
    if (elapsed === 10 * minute) await fake.complete(providerJobId);
    await vi.advanceTimersByTimeAsync(1_000);
    await provider.idle();
    if (subject.listener.updates.some((update) => update.state === "succeeded")) break;
  }
  return { providerJobId, requests: fake.requests.length };
}

describe("BytePlus updates: one shared poller, callbacks as a hint", () => {
  let subject: BytePlusUnderTest;
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

  async function withCallbacks() {
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    const baseUrl = `http://127.0.0.1:${address.port}`;
    subject = await byteplusAgainstFake({ provider: { callbackBaseUrl: baseUrl } });
    const route = subject.provider.callbackRoute;
    if (!route) throw new Error("callbacks should be on");
    server.route("POST", route.path, route.handler);
    return baseUrl;
  }

  it("polls a 10-minute task with at most 15 requests and delivers it, last frame included", async () => {
    useFakeTime();
    subject = await byteplusAgainstFake();
    const { providerJobId, requests } = await followTenMinutes(subject);
    expect(requests).toBeLessThanOrEqual(15);
    expect(subject.listener.updates.filter((update) => update.state === "succeeded")).toEqual([
      expect.objectContaining({ providerJobId, lastFrameUrl: expect.any(String) }),
    ]);
  });

  it("with callbacks, follows a 10-minute task with at most 4 requests", async () => {
    await withCallbacks();
    useFakeTime();
    const { providerJobId, requests } = await followTenMinutes(subject);
    expect(subject.fake.creates()[0]).toMatchObject({
      callback_url: expect.stringMatching(/\/provider-callbacks\/byteplus\/[\w-]{32}$/),
    });
    expect(subject.fake.callbacksSent.map((sent) => sent.status)).toEqual([200, 200]);
    expect(requests).toBeLessThanOrEqual(4);
    expect(subject.listener.updates.filter((update) => update.state === "succeeded")).toEqual([
      expect.objectContaining({ providerJobId }),
    ]);
  });

  it("believes a callback only after reading the task back from Ark", async () => {
    await withCallbacks();
    const { providerJobId } = await subject.provider.submit(arkSubmitInput());
    const callbackUrl = String(
      subject.fake.creates()[0] &&
        (subject.fake.creates()[0] as { callback_url: string }).callback_url,
    );
    const forged = {
      id: providerJobId,
      status: "succeeded",
      content: { video_url: "https://evil.example/x.mp4" },
    };
    const answer = await request(callbackUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(forged),
    });
    await answer.body.dump();
    expect(answer.statusCode).toBe(200);
    await subject.provider.idle();
    expect(subject.listener.updates.some((update) => update.state === "succeeded")).toBe(false);
  });
});
