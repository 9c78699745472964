import type { NewJob } from "../../src/jobs/job.ts";

/** A job with nested origin and request, as the service would create it; override what a test cares about. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: "job-1",
    origin: {
      platform: "discord",
      spaceId: "guild-1",
      channelId: "channel-1",
      threadId: "thread-1",
      messageId: "message-1",
      userId: "user-1",
      userName: "Ada",
    },
    request: {
      mode: "image",
      tier: "standard",
      prompt: "a red fox runs through snow",
      startImage: { url: "https://cdn.test/fox.png", hasFace: false, sizeBytes: 2048 },
      referenceImages: [{ url: "https://cdn.test/snow.png", contentType: "image/png" }],
      referenceVideos: [],
      referenceAudios: [],
      resolution: "720p",
      duration: 5,
      aspectRatio: "16:9",
    },
    provider: "byteplus",
    model: "seedance-2-0",
    createdAt: 1_000,
    costEstimate: 0.5,
    ...overrides,
  };
}
