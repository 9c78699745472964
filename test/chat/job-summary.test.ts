import { describe, expect, it } from "vitest";
import { describeInputs, describeSettings, stateLabel } from "../../src/chat/job-summary.ts";
import type { Job } from "../../src/jobs/job.ts";
import { newJob } from "../contracts/new-job.ts";

const file = (fileName: string) => ({ url: `https://cdn.test/${fileName}`, fileName });

describe("what every card says about a job (issue 11)", () => {
  it("labels inputs the way the prompt and the model see them", () => {
    const frames = {
      ...newJob().request,
      referenceImages: [],
      startImage: file("a.png"),
      endImage: file("b.png"),
    };
    expect(describeInputs(frames)).toEqual(["start frame: a.png", "end frame: b.png"]);
    const references = {
      ...newJob().request,
      mode: "reference" as const,
      startImage: undefined,
      referenceImages: [file("cat.png"), file("dog.png")],
      referenceVideos: [file("dance.mp4")],
      referenceAudios: [file("song.mp3")],
    };
    expect(describeInputs(references)).toEqual([
      "@Image1: cat.png",
      "@Image2: dog.png",
      "@Video1: dance.mp4",
      "@Audio1: song.mp3",
    ]);
  });

  it("always says whether there is sound, and the seed", () => {
    const request = newJob().request;
    expect(describeSettings({ ...request, generateAudio: true, seed: 42 })).toBe(
      "720p · 5 s · 16:9 · audio on · seed 42",
    );
    expect(describeSettings({ ...request, generateAudio: false })).toBe(
      "720p · 5 s · 16:9 · audio off · random seed",
    );
    expect(describeSettings({ ...request, generateAudio: undefined })).toContain(
      "audio: model default",
    );
  });

  it("a waiting job's state gives its place in the user's queue", () => {
    const job = { ...newJob(), version: 1, updatedAt: 1, attempts: 0 } as Job;
    expect(stateLabel({ ...job, state: "waiting", queuePosition: 2 })).toBe(
      "waiting (#2 in your queue)",
    );
    expect(stateLabel({ ...job, state: "running", progress: 41.6 })).toBe("generating 42%");
    expect(stateLabel({ ...job, state: "queued" })).toBe("queued at the provider");
  });
});
