import { request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeOxenModelIds } from "./fake-oxen-models.ts";
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

  it("serves the six Seedance 2.0 request schemas as Oxen publishes them (no seed anywhere)", async () => {
    const shared = ["resolution", "duration", "aspect_ratio", "generate_audio", "watermark"];
    const expected: Record<string, string[]> = {
      "text-to-video": ["prompt", ...shared],
      "image-to-video": [
        "prompt",
        "input_image",
        "input_image_has_face",
        "tail_image_url",
        "tail_image_url_has_face",
        ...shared,
      ],
      "reference-to-video": [
        "prompt",
        "input_face_images",
        "input_images",
        "input_face_videos",
        "input_videos",
        "input_audios",
        ...shared,
      ],
    };
    for (const id of fakeOxenModelIds) {
      const model = (await call("GET", `/api/ai/models/${id}`)).json();
      const schema = model.request_schema;
      const kind = id.replace(/^bytedance-seedance-2-0-(fast-)?/, "");
      expect(Object.keys(schema.properties)).toEqual(expected[kind]);
      expect(schema.required).toEqual(
        kind === "image-to-video" ? ["prompt", "input_image"] : ["prompt"],
      );
      expect(schema.properties.resolution.enum).toEqual(
        id.includes("-fast-") ? ["480p", "720p"] : ["480p", "720p", "1080p", "4k"],
      );
      expect(schema.properties.duration).toMatchObject({ type: "integer", default: -1 });
      expect(schema.properties.aspect_ratio.default).toBe("16:9");
      expect(schema.properties.generate_audio.default).toBe(false);
      expect(Object.keys(model.pricing)).toEqual(
        expect.arrayContaining(["method", "cost_per_second", "cost_per_second_with_audio"]),
      );
    }
  });
});
