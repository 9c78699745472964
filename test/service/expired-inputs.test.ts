import { afterEach, describe, expect, it } from "vitest";
import { createHarness, origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

const hour = 60 * 60_000;
const image = (expiresAt: number) => ({
  url: "https://cdn.example.test/cat.png",
  contentType: "image/png",
  fileName: "cat.png",
  expiresAt,
});

describe("generation service: inputs whose links expire", () => {
  let harness: Awaited<ReturnType<typeof createHarness>> | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("a regenerate after the inputs' links expired is refused with what to do, and nothing is sent", async () => {
    let clock = Date.now();
    harness = await createHarness({}, {}, { now: () => clock });
    const { service } = await harness.boot();
    const parent = await service.submit(
      { mode: "image", prompt: "the cat yawns", startImage: image(clock + hour) },
      origin,
    );
    expect(parent.state).toBe("queued");
    const creates = harness.fake.requests.filter((request) => request.method === "POST").length;

    clock += 2 * hour;
    await expect(
      service.regenerate(parent.id, { platform: "test", userId: "user-1" }),
    ).rejects.toMatchObject({
      code: "MEDIA_EXPIRED",
      message:
        "The link to the start image (cat.png) has expired (uploaded files stay reachable for a limited time), so this video cannot be made from it. Nothing was charged. Attach the file again in a new request.",
    });
    expect(harness.fake.requests.filter((request) => request.method === "POST")).toHaveLength(
      creates,
    );
  });

  it("a job whose links expire before the provider can fetch them fails clearly instead of being sent", async () => {
    harness = await createHarness();
    const { service, adapter } = await harness.boot();
    const soon = Date.now() + 5 * 60_000;
    const job = await service.submit(
      {
        mode: "reference",
        prompt: "@Image1 meets @Image2",
        referenceImages: [image(Date.now() + hour), { ...image(soon), fileName: "dog.png" }],
      },
      origin,
    );
    expect(job).toMatchObject({
      state: "failed",
      error: expect.stringContaining("The link to @Image2 (dog.png) has expired"),
    });
    expect(job.providerJobId).toBeUndefined();
    expect(harness.fake.requests.some((request) => request.method === "POST")).toBe(false);
    await waitUntil(() => adapter.cards.get(job.id)?.last.state === "failed");
  });
});
