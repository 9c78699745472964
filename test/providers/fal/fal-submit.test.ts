import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/errors.ts";
import { type FalUnderTest, falAgainstFake, falSubmitInput } from "./fal-test-helpers.ts";

const image = (name: string) => ({ url: `https://cdn.example/${name}`, contentType: "image/png" });

describe("fal.ai submit, cancel and results", () => {
  let subject: FalUnderTest;
  afterEach(async () => subject.close());

  it("sends each mode to its endpoint in fal's words, with the key as `Key …`", async () => {
    subject = await falAgainstFake();
    const { provider, fake } = subject;
    await provider.submit(
      falSubmitInput({ tier: "fast", duration: 5, aspectRatio: "adaptive", seed: 7 }),
    );
    await provider.submit(
      falSubmitInput({
        mode: "image",
        prompt: "the kite lifts",
        duration: -1,
        startImage: image("a.png"),
        endImage: image("b.png"),
      }),
    );
    await provider.submit(
      falSubmitInput({
        mode: "reference",
        prompt: "@Image1 walks to @Video1",
        referenceImages: [image("c.png")],
        referenceVideos: [{ url: "https://cdn.example/v.mp4", contentType: "video/mp4" }],
      }),
    );
    const submits = fake.submits();
    expect(submits.map((request) => request.pathname)).toEqual([
      "/bytedance/seedance-2.0/fast/text-to-video",
      "/bytedance/seedance-2.0/image-to-video",
      "/bytedance/seedance-2.0/reference-to-video",
    ]);
    expect(submits.map((request) => request.body)).toEqual([
      { prompt: "a kite", duration: "5", aspect_ratio: "auto", seed: 7 },
      {
        prompt: "the kite lifts",
        duration: "auto",
        image_url: "https://cdn.example/a.png",
        end_image_url: "https://cdn.example/b.png",
      },
      {
        prompt: "@Image1 walks to @Video1",
        image_urls: ["https://cdn.example/c.png"],
        video_urls: ["https://cdn.example/v.mp4"],
      },
    ]);
    expect(submits.every((request) => request.headers.authorization === `Key ${fake.apiKey}`)).toBe(
      true,
    );
  });

  it("never sends a create twice when its answer was lost, and says the outcome is unknown", async () => {
    subject = await falAgainstFake();
    subject.fake.failNext("POST", /text-to-video$/, 0, { reset: true });
    const error = await subject.provider.submit(falSubmitInput()).catch((caught) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect(subject.fake.submits()).toHaveLength(1);
    expect(await subject.provider.findSubmitted(falSubmitInput(), new Set())).toBeUndefined();
  });

  it("waits out a 429 and creates the job once; a 403 tells the operator what to check", async () => {
    subject = await falAgainstFake();
    subject.fake.failNext("POST", /text-to-video$/, 429, { retryAfter: 1 });
    await subject.provider.submit(falSubmitInput());
    expect(subject.fake.submits()).toHaveLength(2);
    expect(subject.fake.jobs.size).toBe(1);
    subject.fake.failNext("POST", /text-to-video$/, 403, { body: { detail: "User is locked" } });
    const error = await subject.provider.submit(falSubmitInput()).catch((caught) => caught);
    expect(error).toMatchObject({ retryable: false, statusCode: 403 });
    expect(error.message).toBe(
      "fal.ai denied the bot's key access to Seedance 2.0 (User is locked); tell the bot's operator to check the key's account, its balance and the model's availability.",
    );
  });

  it("reports a moderation block as the content's doing, and a runner fault as a retry", async () => {
    subject = await falAgainstFake();
    const { provider, fake } = subject;
    const blocked = (await provider.submit(falSubmitInput())).providerJobId;
    await fake.fail(blocked, "The content could not be processed: content policy violation", {
      type: "content_policy_violation",
    });
    expect(await provider.getStatus(blocked)).toEqual({
      providerJobId: blocked,
      state: "failed",
      error:
        "fal.ai's content filter blocked this video: the prompt or the files were refused, not the bot; change them and try again. (The content could not be processed: content policy violation)",
    });
    const faulty = (await provider.submit(falSubmitInput())).providerJobId;
    await fake.fail(faulty, "Runner crashed", { status: 500 });
    expect((await provider.getStatus(faulty)).error).toBe(
      "fal.ai hit a fault while making the video; press 🔁 to try again (fal.ai does not charge for its own faults). (Runner crashed)",
    );
  });

  it("cancels a queued request with PUT …/cancel", async () => {
    subject = await falAgainstFake();
    const { providerJobId } = await subject.provider.submit(falSubmitInput());
    await subject.provider.cancel(providerJobId);
    const cancel = subject.fake.requests.find((request) => request.method === "PUT");
    expect(cancel?.pathname).toBe(`/bytedance/seedance-2.0/requests/${providerJobId}/cancel`);
    expect(subject.fake.jobs.get(providerJobId)?.cancelled).toBe(true);
  });

  it("downloads the video from fal's CDN without sending it the key", async () => {
    subject = await falAgainstFake();
    const { providerJobId } = await subject.provider.submit(falSubmitInput());
    await subject.fake.complete(providerJobId);
    const status = await subject.provider.getStatus(providerJobId);
    expect(status.state).toBe("succeeded");
    const download = await subject.provider.openResult(status.resultUrl ?? "");
    let size = 0;
    for await (const chunk of download.body) size += (chunk as Buffer).length;
    expect(size).toBeGreaterThan(0);
    expect(subject.fake.cdnRequests.map((request) => request.headers.authorization)).toEqual([
      undefined,
    ]);
  });

  it("prices per second by resolution and tier, with fal's discount for reference videos", async () => {
    subject = await falAgainstFake({ start: false });
    const cost = (input: Parameters<typeof falSubmitInput>[0]) => {
      const { request, model } = falSubmitInput(input);
      return subject.provider.estimateCost(request, model);
    };
    expect(cost({ duration: 5, resolution: "720p" })).toEqual({ amount: 1.51, currency: "USD" });
    expect(cost({ duration: 5, resolution: "720p", tier: "fast" })?.amount).toBe(1.21);
    expect(cost({ duration: 5, resolution: "480p" })?.amount).toBe(0.67);
    const video = { url: "https://cdn.example/v.mp4", durationSeconds: 5 };
    expect(cost({ mode: "reference", duration: 5, referenceVideos: [video] })?.amount).toBe(1.81);
  });
});
