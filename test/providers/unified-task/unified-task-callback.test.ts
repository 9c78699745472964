import { request } from "undici";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import { HttpServer } from "../../../src/server/http-server.ts";
import {
  dialects,
  type ProviderUnderTest,
  providerAgainstFake,
  submitInput,
  usePollerFakeTimers,
} from "./unified-task-test-helpers.ts";

describe.each(dialects)("%s callbacks", (dialect) => {
  let subject: ProviderUnderTest;
  let server: HttpServer;
  let baseUrl: string;

  async function setUp() {
    server = new HttpServer(createSilentLogger());
    const address = await server.listen(0, "127.0.0.1");
    baseUrl = `http://127.0.0.1:${address.port}`;
    subject = await providerAgainstFake(dialect, { provider: { callbackBaseUrl: baseUrl } });
    const route = subject.provider.callbackRoute;
    if (!route) throw new Error("callbacks should be on");
    server.route("POST", route.path, route.handler);
    usePollerFakeTimers();
  }

  afterEach(async () => {
    vi.useRealTimers();
    await subject.close();
    await server.close();
  });

  const post = async (path: string, body: string) => {
    const response = await request(`${baseUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: response.statusCode, body: await response.body.json() };
  };
  const sentCallbackUrl = (id: string) => String(subject.fake.tasks.get(id)?.callbackUrl);

  it("reads the task as soon as its callback lands, long before the next poll", async () => {
    await setUp();
    const { providerJobId: id } = await subject.provider.submit(submitInput(dialect));
    await subject.fake.complete(id);
    await subject.provider.idle();
    expect(subject.fake.callbacksSent).toEqual([{ url: sentCallbackUrl(id), status: 200 }]);
    expect(subject.fake.reads(id)).toHaveLength(1);
    expect(subject.listener.updates).toEqual([
      {
        providerJobId: id,
        state: "succeeded",
        progress: 100,
        resultUrl: subject.fake.resultUrlFor(id),
      },
    ]);
  });

  it("believes nothing a callback says: a forged 'completed' only triggers a read", async () => {
    await setUp();
    const { providerJobId: id } = await subject.provider.submit(submitInput(dialect));
    const path = new URL(sentCallbackUrl(id)).pathname;
    const forged = JSON.stringify({
      id,
      status: "completed",
      progress: 100,
      results: ["https://attacker.invalid/x.mp4"],
    });
    expect(await post(path, forged)).toEqual({ status: 200, body: { received: true } });
    await subject.provider.idle();
    expect(subject.fake.reads(id)).toHaveLength(1);
    expect(subject.listener.updates).toEqual([]);
  });

  it("answers 404 to a wrong secret and 400 to a body without a task, reading nothing", async () => {
    await setUp();
    const { providerJobId: id } = await subject.provider.submit(submitInput(dialect));
    const path = new URL(sentCallbackUrl(id)).pathname;
    const wrong = `${path.slice(0, -4)}abcd`;
    expect(await post(wrong, JSON.stringify({ id }))).toMatchObject({ status: 404 });
    expect(await post(`/provider-callbacks/${dialect}/`, JSON.stringify({ id }))).toMatchObject({
      status: 404,
    });
    expect(await post(path, "not json")).toEqual({
      status: 400,
      body: { error: "The body is not JSON" },
    });
    expect(await post(path, JSON.stringify({ status: "completed" }))).toEqual({
      status: 400,
      body: { error: "the body names no task id" },
    });
    expect(subject.provider.handleCallback({ id: "../../etc" })).toEqual({
      accepted: false,
      reason: "the task id has unexpected characters",
    });
    await subject.provider.idle();
    expect(subject.fake.reads()).toHaveLength(0);
  });
});
