import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createUnifiedTaskHarness,
  type UnifiedServiceUnderTest,
} from "../providers/unified-task/unified-task-service-harness.ts";
import { origin } from "../support/service-harness.ts";
import { waitUntil } from "../support/wait-until.ts";

const fixture = readFileSync(new URL("../fixtures/media/tiny.mp4", import.meta.url));
const start = { url: "https://cdn.example/start.png" };
const end = { url: "https://cdn.example/end.png" };

describe.each(["aihubmax", "evolink"] as const)("%s through the generation service", (dialect) => {
  let harness: Awaited<ReturnType<typeof createUnifiedTaskHarness>>;
  let bot: UnifiedServiceUnderTest;
  const label = dialect === "aihubmax" ? "AIHubMax" : "EvoLink";

  async function setUp(options: Parameters<typeof createUnifiedTaskHarness>[1] = {}) {
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"],
    });
    harness = await createUnifiedTaskHarness(dialect, {
      ...options,
      fake: { sendCallbacks: false, estimatedTime: 60, ...options.fake },
    });
    bot = await harness.boot();
  }
  afterEach(async () => {
    await harness.close();
    vi.useRealTimers();
  });

  /** Lets `milliseconds` of fake time pass in polling steps, each step's reads finishing first. */
  async function pass(milliseconds: number) {
    for (let elapsed = 0; elapsed < milliseconds; elapsed += 5_000) {
      await vi.advanceTimersByTimeAsync(Math.min(5_000, milliseconds - elapsed));
      await bot.provider.idle();
    }
  }
  const stateOf = async (jobId: string) => (await bot.service.getJob(jobId))?.state;
  const delivered = (jobId: string) =>
    waitUntil(async () => (await stateOf(jobId)) === "delivered", { message: "delivery" });

  it("animates a start and an end frame and delivers the video once, in the thread", async () => {
    await setUp();
    const job = await bot.service.submit(
      { mode: "image", prompt: "the door opens", startImage: start, endImage: end, duration: 5 },
      origin,
    );
    expect(job.state).toBe("queued");
    const body = harness.fake.tasks.get(job.providerJobId ?? "")?.body;
    expect(body).toEqual(
      dialect === "aihubmax"
        ? {
            model: "seedance-2.0-image-to-video",
            prompt: "the door opens",
            image_url: start.url,
            end_image_url: end.url,
            duration: 5,
            callback_url: expect.any(String),
          }
        : {
            model: "seedance-2.0-image-to-video",
            prompt: "the door opens",
            image_urls: [start.url, end.url],
            duration: 5,
            callback_url: expect.any(String),
          },
    );
    await harness.fake.complete(job.providerJobId ?? "");
    await pass(15_000);
    await delivered(job.id);
    expect(bot.adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(bot.adapter.deliveries[0]?.bytes.equals(fixture)).toBe(true);
    expect(bot.adapter.deliveries[0]).toMatchObject({
      channelId: "channel-1",
      threadId: "thread-1",
    });
    expect(harness.fake.cdnRequests).toHaveLength(1);
  });

  it("sends reference files in the user's order and delivers", async () => {
    await setUp();
    const job = await bot.service.submit(
      {
        mode: "reference",
        tier: "fast",
        prompt: "@Image1 walks into @Video1 humming @Audio1",
        referenceImages: [{ url: "https://cdn.example/a.png" }],
        referenceVideos: [{ url: "https://cdn.example/v.mp4", durationSeconds: 4 }],
        referenceAudios: [{ url: "https://cdn.example/s.mp3", durationSeconds: 3 }],
      },
      origin,
    );
    expect(harness.fake.tasks.get(job.providerJobId ?? "")?.body).toMatchObject({
      model: "seedance-2.0-fast-reference-to-video",
      image_urls: ["https://cdn.example/a.png"],
      video_urls: ["https://cdn.example/v.mp4"],
      audio_urls: ["https://cdn.example/s.mp3"],
    });
    await harness.fake.complete(job.providerJobId ?? "");
    await pass(15_000);
    await delivered(job.id);
    expect(bot.adapter.deliveriesOf(job.id)).toHaveLength(1);
  });

  it("shows the provider's progress on the status card", async () => {
    await setUp();
    const job = await bot.service.submit({ mode: "text", prompt: "a slow sunrise" }, origin);
    const id = job.providerJobId ?? "";
    harness.fake.setProgress(id, 30);
    await pass(15_000);
    await waitUntil(() => bot.adapter.cards.get(job.id)?.last.progress === 30);
    expect(bot.adapter.cards.get(job.id)?.last.state).toBe("running");
    harness.fake.setProgress(id, 80);
    await pass(15_000);
    await waitUntil(() => bot.adapter.cards.get(job.id)?.last.progress === 80);
    await harness.fake.complete(id);
    await pass(10_000);
    await delivered(job.id);
    // Bursts of changes are coalesced on the card, never reordered.
    await waitUntil(() => bot.adapter.cards.get(job.id)?.last.state === "delivered");
    const states = bot.adapter.cards.get(job.id)?.states ?? [];
    expect(states.slice(0, 3)).toEqual(["submitting", "queued", "running"]);
    expect(states.at(-1)).toBe("delivered");
  });

  it("keeps waiting on 'completed' without results, then delivers once the URL is attached", async () => {
    await setUp();
    const job = await bot.service.submit({ mode: "text", prompt: "a late link" }, origin);
    const id = job.providerJobId ?? "";
    await harness.fake.complete(id, { results: "empty" });
    await pass(30_000);
    expect(await stateOf(job.id)).toBe("running");
    await harness.fake.fillResults(id);
    await pass(5_000);
    await delivered(job.id);
    expect(bot.adapter.deliveriesOf(job.id)).toHaveLength(1);
  });

  it("shows a content-policy failure in plain words and delivers nothing", async () => {
    await setUp();
    const job = await bot.service.submit({ mode: "text", prompt: "something blocked" }, origin);
    await harness.fake.fail(job.providerJobId ?? "", "content_policy_violation", "Blocked");
    await pass(15_000);
    await waitUntil(async () => (await stateOf(job.id)) === "failed");
    expect((await bot.service.getJob(job.id))?.error).toBe(
      `${label}'s content filter blocked this video; change the prompt or the pictures and try again. (content_policy_violation: Blocked)`,
    );
    await waitUntil(() => bot.adapter.cards.get(job.id)?.last.state === "failed");
    expect(bot.adapter.deliveries).toHaveLength(0);
  });

  it("fails a job the API refused for lack of balance, with the operator hint", async () => {
    await setUp();
    harness.fake.failNext("POST", "/v1/videos/generations", 402, {
      body: { error: { message: "余额不足", type: "insufficient_quota_error" } },
    });
    const job = await bot.service.submit({ mode: "text", prompt: "no money" }, origin);
    expect(job).toMatchObject({
      state: "failed",
      error: `The bot's ${label} account is out of balance; tell the bot's operator to top it up.`,
    });
  });

  it("delivers on the callback, before any poll is due", async () => {
    await setUp({ fake: { sendCallbacks: true } });
    const job = await bot.service.submit({ mode: "text", prompt: "called back" }, origin);
    const id = job.providerJobId ?? "";
    await harness.fake.complete(id);
    expect(harness.fake.callbacksSent).toEqual([{ url: expect.any(String), status: 200 }]);
    await bot.provider.idle();
    await delivered(job.id);
    expect(bot.adapter.deliveriesOf(job.id)).toHaveLength(1);
    expect(harness.fake.reads(id)).toHaveLength(1);
  });

  it("refuses what the provider cannot do before anything is stored or sent", async () => {
    await setUp();
    const request =
      dialect === "evolink"
        ? { mode: "text" as const, prompt: "auto length", duration: -1 }
        : {
            mode: "text" as const,
            prompt: "fast and sharp",
            tier: "fast" as const,
            resolution: "1080p" as const,
          };
    await expect(bot.service.submit(request, origin)).rejects.toThrow(
      dialect === "evolink"
        ? "Duration -1 is out of range on EvoLink; use 4–15 seconds."
        : "Resolution 1080p is not available on AIHubMax's fast tier",
    );
    expect(harness.fake.creates()).toHaveLength(0);
    expect(await bot.service.jobsFor("test", "user-1")).toHaveLength(0);
  });
});
