import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeOxenServer, startFakeOxenServer } from "./fake-oxen-server.ts";

describe("fake Oxen hub", () => {
  let fake: FakeOxenServer;
  const call = async (
    method: "GET" | "POST",
    path: string,
    body?: unknown,
    key: string | null = fake.apiKey,
  ) => {
    const response = await request(`${fake.baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      text,
      json: () => JSON.parse(text),
    };
  };

  beforeEach(async () => {
    fake = await startFakeOxenServer({ redirectResultsTo: "cdn" });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("requires the bearer key", async () => {
    const response = await call("GET", "/api/ai/queue", undefined, null);
    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ status_message: "unauthenticated" });
  });

  it("enqueues, lists active jobs only, and reports unknown models like the hub", async () => {
    const created = await call("POST", "/api/ai/queue", {
      model: "bytedance-seedance-2-0-text-to-video",
      prompt: "p",
      duration: 5,
    });
    const id = created.json().generations[0].generation_id as string;
    expect(created.json()).toEqual({ generations: [{ generation_id: id, status: "queued" }] });
    expect((await call("GET", `/api/ai/queue/${id}`)).json()).toMatchObject({
      generation_id: id,
      status: "queued",
      prompt: "p",
      duration: 5,
      result_url: null,
    });
    fake.complete(id, { emit: false });
    expect((await call("GET", "/api/ai/queue")).json()).toEqual({ count: 0, generations: [] });
    expect((await call("GET", "/api/ai/queue?status=succeeded")).json().count).toBe(1);

    const unknown = await call("POST", "/api/ai/queue", { model: "bad-model", prompt: "p" });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ error: { message: "Model not found: bad-model" } });
  });

  it("serves results only with the key, redirecting to a CDN that needs none", async () => {
    const job = fake.addJob("bytedance-seedance-2-0-text-to-video");
    fake.complete(job.id, { emit: false });
    const path = new URL(fake.resultUrlFor(job.id)).pathname;
    expect((await call("GET", path, undefined, null)).status).toBe(401);
    const redirect = await call("GET", path);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toMatch(
      new RegExp(`^${fake.cdnBaseUrl}/files/${job.id}\\.mp4`),
    );
  });

  it("scripts failures once, in order", async () => {
    fake.failNext("GET", "/api/ai/queue", 429, { retryAfter: 3 });
    const limited = await call("GET", "/api/ai/queue");
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("3");
    expect((await call("GET", "/api/ai/queue")).status).toBe(200);
  });
});
