import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

describe("generation service: Upscale", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;
  const requester = { platform: "test", userId: "user-1", userName: "Ada" };

  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it("makes the same request at the model's highest resolution, costed and linked to its parent; once per click", async () => {
    const { service } = await harness.boot();
    const parent = await service.submit(
      { mode: "text", prompt: "a harbour", seed: 7, duration: 5, resolution: "480p" },
      origin,
    );
    expect(parent.upscaleTo).toBe("4k");
    await expect(service.upscale(parent.id, requester)).rejects.toThrow(
      `Job ${parent.id} has no finished video to upscale yet`,
    );
    harness.fake.complete(parent.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(parent.id))?.state === "delivered");

    const child = await service.upscale(parent.id, requester);
    expect(child).toMatchObject({ upscaleOf: parent.id, parentJobId: parent.id });
    expect(child.request).toMatchObject({
      prompt: "a harbour",
      seed: 7,
      duration: 5,
      resolution: "4k",
    });
    expect(child.upscaleTo).toBeUndefined();
    expect(child.costEstimate).toBeGreaterThan(parent.costEstimate ?? 0);
    await expect(service.upscale(parent.id, requester)).rejects.toMatchObject({
      code: "REPEATED_REQUEST",
    });
    const sent = harness.fake.requests.filter((request) => request.method === "POST");
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toMatchObject({ prompt: "a harbour", resolution: "4k" });
  });

  it("refuses a job already at the highest resolution, naming it, and sends nothing", async () => {
    const { service } = await harness.boot();
    const job = await service.submit({ mode: "text", prompt: "big", resolution: "4k" }, origin);
    expect(job.upscaleTo).toBeUndefined();
    harness.fake.complete(job.providerJobId ?? "");
    await waitUntil(async () => (await service.getJob(job.id))?.state === "delivered");
    await expect(service.upscale(job.id, requester)).rejects.toThrow(
      `Job ${job.id} is already at 4k, the highest resolution this model allows; nothing was made or charged.`,
    );
    expect(harness.fake.requests.filter((request) => request.method === "POST")).toHaveLength(1);
  });
});
