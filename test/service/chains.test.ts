import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Job, NewJob } from "../../src/jobs/job.ts";
import type { JobStore } from "../../src/jobs/job-store.ts";
import { openSqliteJobStore } from "../../src/jobs/sqlite-job-store.ts";
import { maxExtensions } from "../../src/service/extension.ts";
import { createHarness, origin } from "../support/service-harness.ts";
import { makeTestVideo, probeFile } from "../support/test-videos.ts";
import { waitUntil } from "../support/wait-until.ts";

const actor = { platform: origin.platform, userId: origin.userId };

/** A finished, posted clip as the service records one; `parent` makes it an extension of that clip. */
async function postedClip(
  store: JobStore,
  id: string,
  options: { parent?: Job; videoPath?: string; duration?: number } = {},
): Promise<Job> {
  const clip: NewJob = {
    id,
    origin,
    request: {
      mode: "text",
      tier: "standard",
      prompt: `clip ${id}`,
      referenceImages: [],
      referenceVideos: [],
      referenceAudios: [],
      ...(options.duration === undefined ? {} : { duration: options.duration }),
    },
    provider: "oxen",
    model: "bytedance-seedance-2-0-text-to-video",
    state: "delivered",
    createdAt: Date.now(),
    completedAt: Date.now(),
    deliveredAt: Date.now(),
    // The provider's own last frame, fresh: Extend needs neither ffmpeg nor a media host.
    lastFrameUrl: `https://cdn.example.com/${id}-last.jpg`,
    ...(options.parent ? { extendsJobId: options.parent.id, parentJobId: options.parent.id } : {}),
    ...(options.videoPath
      ? { videoPath: options.videoPath, videoBytes: (await stat(options.videoPath)).size }
      : {}),
  };
  return await store.create(clip);
}

describe("generation service: Extend and Stitch chains", () => {
  let harness: Awaited<ReturnType<typeof createHarness>>;

  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it(`allows ${maxExtensions} extensions in one chain and refuses the next, saying what to do`, async () => {
    const { service, store } = await harness.boot();
    let last = await postedClip(store, "clip0");
    for (let index = 1; index < maxExtensions; index++) {
      last = await postedClip(store, `clip${index}`, { parent: last });
    }
    // The chain has three extensions: a fourth is made from the provider's last frame.
    const fourth = await service.extend(last.id, actor, { prompt: "the fourth" });
    expect(fourth.extendsJobId).toBe(last.id);
    expect(fourth.request.startImage?.url).toBe(last.lastFrameUrl);
    const posted = await postedClip(store, "clip4", { parent: last });

    await expect(service.extend(posted.id, actor, { prompt: "one more" })).rejects.toThrow(
      `This chain already has ${maxExtensions} extensions, the most one chain may have (${maxExtensions}); press Stitch to join it, or start a new one.`,
    );
    const creates = harness.fake.requests.filter((request) => request.method === "POST");
    expect(creates).toHaveLength(1);
  });

  it("a restart in the middle of a stitch makes the joined video again from the clips and posts it once", async () => {
    // What a process killed during the join leaves: the stitch recorded, a partial file beside it.
    const store = openSqliteJobStore({ path: join(harness.directory, "jobs.sqlite") });
    const videos = join(harness.directory, "videos");
    // Different frame sizes: the clips cannot be stream-copied, so the join is re-encoded.
    const firstPath = join(videos, "clip-a.mp4");
    const secondPath = join(videos, "clip-b.mp4");
    await makeTestVideo(firstPath, { seconds: 2 });
    await makeTestVideo(secondPath, { seconds: 1, width: 480, height: 360 });
    const clipA = await postedClip(store, "clipa", { videoPath: firstPath, duration: 2 });
    const clipB = await postedClip(store, "clipb", {
      parent: clipA,
      videoPath: secondPath,
      duration: 1,
    });
    const stitchId = "stitch1";
    await store.create({
      id: stitchId,
      origin,
      request: { ...clipB.request, prompt: "2 clips stitched: clip clipa", duration: 3 },
      provider: "stitch",
      model: "ffmpeg-concat",
      state: "succeeded",
      createdAt: Date.now(),
      completedAt: Date.now(),
      costEstimate: 0,
      cost: 0,
      parentJobId: clipB.id,
      stitchOf: [clipA.id, clipB.id],
    });
    await writeFile(join(videos, `${stitchId}.mp4.part.mp4`), "half a video");
    await store.close();

    const second = await harness.boot();
    await waitUntil(async () => (await second.service.getJob(stitchId))?.state === "delivered", {
      message: "the stitched video posted",
    });
    const [delivery, ...more] = second.adapter.deliveriesOf(stitchId);
    expect(more).toEqual([]);
    const job = await second.service.getJob(stitchId);
    const probed = await probeFile(job?.videoPath ?? "");
    expect(probed.format.duration).toBeGreaterThan(2.9);
    expect(probed.format.duration).toBeLessThan(3.2);
    expect(delivery?.bytes.length).toBe(job?.videoBytes);
    expect(job?.cost).toBe(0);
    expect(harness.fake.requests.filter((request) => request.method === "POST")).toEqual([]);
  });
});
