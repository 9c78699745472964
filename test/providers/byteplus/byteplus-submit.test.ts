import { afterEach, describe, expect, it } from "vitest";
import { ProviderError, UserFacingError } from "../../../src/errors.ts";
import {
  arkSubmitInput,
  type BytePlusUnderTest,
  byteplusAgainstFake,
} from "./byteplus-test-helpers.ts";

const media = (name: string, contentType: string) => ({
  url: `https://cdn.example/${name}`,
  contentType,
});

describe("BytePlus ModelArk submit, failures, cancel and results", () => {
  let subject: BytePlusUnderTest;
  afterEach(async () => subject.close());

  it("sends one task per request with content[] roles, asking for the last frame", async () => {
    subject = await byteplusAgainstFake({ provider: { serviceTier: "flex" } });
    await subject.provider.submit(
      arkSubmitInput({ duration: -1, aspectRatio: "adaptive", seed: 3, watermark: false }),
    );
    await subject.provider.submit(
      arkSubmitInput({
        mode: "image",
        tier: "fast",
        prompt: "it opens",
        duration: 5,
        startImage: media("a.png", "image/png"),
        endImage: media("b.png", "image/png"),
      }),
    );
    await subject.provider.submit(
      arkSubmitInput({
        mode: "reference",
        prompt: "@Image1 dances to @Audio1",
        duration: 6,
        referenceImages: [media("c.png", "image/png")],
        referenceVideos: [media("v.mp4", "video/mp4")],
        referenceAudios: [media("s.mp3", "audio/mpeg")],
      }),
    );
    expect(subject.fake.creates()).toEqual([
      {
        model: "dreamina-seedance-2-0-260128",
        content: [{ type: "text", text: "a kite" }],
        ratio: "adaptive",
        duration: -1,
        seed: 3,
        watermark: false,
        return_last_frame: true,
        service_tier: "flex",
      },
      {
        model: "dreamina-seedance-2-0-fast-260128",
        content: [
          { type: "text", text: "it opens" },
          {
            type: "image_url",
            image_url: { url: "https://cdn.example/a.png" },
            role: "first_frame",
          },
          {
            type: "image_url",
            image_url: { url: "https://cdn.example/b.png" },
            role: "last_frame",
          },
        ],
        duration: 5,
        return_last_frame: true,
        service_tier: "flex",
      },
      {
        model: "dreamina-seedance-2-0-260128",
        content: [
          { type: "text", text: "@Image1 dances to @Audio1" },
          {
            type: "image_url",
            image_url: { url: "https://cdn.example/c.png" },
            role: "reference_image",
          },
          {
            type: "video_url",
            video_url: { url: "https://cdn.example/v.mp4" },
            role: "reference_video",
          },
          {
            type: "audio_url",
            audio_url: { url: "https://cdn.example/s.mp3" },
            role: "reference_audio",
          },
        ],
        duration: 6,
        return_last_frame: true,
        service_tier: "flex",
      },
    ]);
  });

  it("refuses an end frame without a start frame before sending (Ark needs first_frame beside last_frame)", async () => {
    subject = await byteplusAgainstFake();
    const error = await subject.provider
      .submit(arkSubmitInput({ mode: "image", endImage: media("b.png", "image/png") }))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error.message).toBe(
      "Image-to-video needs a start image: attach one or reply to a message with an image.",
    );
    expect(subject.fake.creates()).toHaveLength(0);
  });

  it("never sends a create twice when its answer was lost", async () => {
    subject = await byteplusAgainstFake();
    subject.fake.failNext("POST", /tasks$/, 0, { reset: true });
    const error = await subject.provider.submit(arkSubmitInput()).catch((caught) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect(subject.fake.creates()).toHaveLength(1);
  });

  it("treats a full queue (429) as a wait, and a 403 as the operator's to fix", async () => {
    subject = await byteplusAgainstFake();
    const queueFull = {
      error: { code: "RateLimitExceeded.QueuedTasks", message: "Too many queued tasks" },
    };
    subject.fake.failNext("POST", /tasks$/, 429, { body: queueFull, retryAfter: 30, times: 3 });
    const busy = await subject.provider.submit(arkSubmitInput()).catch((caught) => caught);
    expect(busy).toMatchObject({ retryable: true, statusCode: 429, retryAfterMs: 30_000 });
    expect(busy.message).toBe(
      "BytePlus is busy or the account has 120 tasks queued (Too many queued tasks); the bot waits and tries again.",
    );
    expect(subject.fake.tasks.size).toBe(0);
    const denied = { error: { code: "ModelNotOpen", message: "The model is not activated" } };
    subject.fake.failNext("POST", /tasks$/, 403, { body: denied });
    const refused = await subject.provider.submit(arkSubmitInput()).catch((caught) => caught);
    expect(refused).toMatchObject({ retryable: false, providerCode: "ModelNotOpen" });
    expect(refused.message).toMatch(
      /activate Seedance 2.0 for the key's project in the ap-southeast region/,
    );
  });

  it("words a moderation block as the content's doing", async () => {
    subject = await byteplusAgainstFake();
    const { providerJobId } = await subject.provider.submit(arkSubmitInput());
    await subject.fake.fail(
      providerJobId,
      "OutputVideoSensitiveContentDetected",
      "The output video may contain sensitive information",
    );
    expect(await subject.provider.getStatus(providerJobId)).toEqual({
      providerJobId,
      state: "failed",
      error:
        "BytePlus's content filter blocked this video: the prompt or the files were refused, not the bot; change them and try again. (OutputVideoSensitiveContentDetected: The output video may contain sensitive information)",
    });
  });

  it("returns the video and its last frame, downloading without the key off the API host", async () => {
    subject = await byteplusAgainstFake();
    const { providerJobId } = await subject.provider.submit(arkSubmitInput());
    await subject.fake.complete(providerJobId);
    const status = await subject.provider.getStatus(providerJobId);
    expect(status).toEqual({
      providerJobId,
      state: "succeeded",
      resultUrl: `${subject.fake.cdnBaseUrl}/tos/${providerJobId}.mp4`,
      lastFrameUrl: `${subject.fake.cdnBaseUrl}/tos/${providerJobId}.png`,
    });
    const download = await subject.provider.openResult(status.resultUrl ?? "");
    let size = 0;
    for await (const chunk of download.body) size += (chunk as Buffer).length;
    expect(size).toBeGreaterThan(0);
    expect(subject.fake.cdnRequests[0]?.headers.authorization).toBeUndefined();
  });

  it("cancels a queued task with DELETE; a running one cannot be cancelled at Ark", async () => {
    subject = await byteplusAgainstFake();
    const queued = (await subject.provider.submit(arkSubmitInput())).providerJobId;
    await subject.provider.cancel(queued);
    expect(subject.fake.tasks.get(queued)?.status).toBe("cancelled");
    const running = (await subject.provider.submit(arkSubmitInput())).providerJobId;
    await subject.fake.start(running);
    await subject.provider.cancel(running);
    expect(subject.fake.tasks.get(running)?.status).toBe("running");
    expect(subject.logs.messages("warn")).toEqual([
      "BytePlus refused the cancel (the task is no longer queued); it may finish and be billed",
    ]);
  });
});
