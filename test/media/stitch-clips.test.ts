import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findMediaTools, type MediaTools } from "../../src/media/ffmpeg-availability.ts";
import { stitchClips } from "../../src/media/stitch-clips.ts";
import { probeVideo } from "../../src/media/video-probe.ts";
import { decodeWhole, makeTestVideo } from "../support/test-videos.ts";

describe("stitchClips", () => {
  let directory: string;
  let tools: MediaTools;
  const clip = (name: string) => join(directory, name);

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "seedance-stitch-"));
    const found = await findMediaTools();
    if (!found) throw new Error("these tests need ffmpeg and ffprobe (see the README)");
    tools = found;
    await makeTestVideo(clip("small-2s.mp4"), { seconds: 2 });
    await makeTestVideo(clip("small-1s.mp4"), { seconds: 1 });
    await makeTestVideo(clip("large-1s.mp4"), { seconds: 1, width: 480, height: 360 });
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("stream-copies clips of one format; the result lasts as long as the clips together", async () => {
    const output = clip("copied.mp4");
    const result = await stitchClips(tools, [clip("small-2s.mp4"), clip("small-1s.mp4")], output);
    expect(result.copied).toBe(true);
    const facts = await probeVideo(tools, output);
    expect(facts.durationSeconds).toBeGreaterThan(2.9);
    expect(facts.durationSeconds).toBeLessThan(3.2);
    expect(facts.hasAudio).toBe(true);
    await decodeWhole(output);
  });

  it("re-encodes clips of different sizes to the first clip's size, with the sound kept", async () => {
    const output = clip("reencoded.mp4");
    const result = await stitchClips(tools, [clip("small-2s.mp4"), clip("large-1s.mp4")], output);
    expect(result.copied).toBe(false);
    const facts = await probeVideo(tools, output);
    expect([facts.width, facts.height]).toEqual([320, 240]);
    expect(facts.durationSeconds).toBeGreaterThan(2.9);
    expect(facts.durationSeconds).toBeLessThan(3.2);
    expect(facts.hasAudio).toBe(true);
    await decodeWhole(output);
  });
});
