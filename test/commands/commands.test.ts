import { describe, expect, it } from "vitest";
import { animateMessage } from "../../commands/animate-message.ts";
import { extendOverrides } from "../../commands/extend.ts";
import { commands, findCommand } from "../../commands/index.ts";
import { describeOptions, typedTextOption } from "../../commands/option-descriptors.ts";
import { routeMessage } from "../../commands/route-message.ts";
import { UserFacingError } from "../../src/errors.ts";

const image = {
  url: "https://cdn.example/a.png",
  contentType: "image/png",
  sizeBytes: 10,
  fileName: "a.png",
};
const end = { ...image, url: "https://cdn.example/b.png", fileName: "b.png" };
const clip = {
  url: "https://cdn.example/c.mp4",
  contentType: "video/mp4",
  sizeBytes: 10,
  fileName: "c.mp4",
};

function run(name: string, raw: Record<string, unknown>) {
  const command = findCommand(name);
  if (!command) throw new Error(`no command ${name}`);
  return command.run(raw);
}

describe("command registry", () => {
  it("has the commands and option names users type", () => {
    const names = Object.fromEntries(
      commands.map((command) => [
        command.name,
        describeOptions(command.options).map((o) => o.name),
      ]),
    );
    expect(names).toEqual({
      video: [
        "prompt",
        "resolution",
        "duration",
        "aspect_ratio",
        "audio",
        "seed",
        "private",
        "takes",
        "fast",
      ],
      animate: [
        "image",
        "prompt",
        "end_image",
        "has_face",
        "loop",
        "resolution",
        "duration",
        "aspect_ratio",
        "audio",
        "seed",
        "private",
        "takes",
        "fast",
      ],
      reference: [
        "prompt",
        "image1",
        "image2",
        "image3",
        "image4",
        "video1",
        "video2",
        "audio1",
        "has_face",
        "resolution",
        "duration",
        "aspect_ratio",
        "audio",
        "seed",
        "private",
        "takes",
      ],
      jobs: [],
      cancel: ["job"],
      settings: [
        "default_duration",
        "default_resolution",
        "default_aspect",
        "default_audio",
        "max_duration",
        "max_resolution",
        "max_takes",
        "user_daily_seconds",
        "server_daily_seconds",
        "channels",
        "reset",
      ],
      usage: ["scope"],
    });
  });

  it("/usage: your own by default, the server's on request, anything else refused by name", () => {
    expect(run("usage", {})).toEqual({ kind: "usage", scope: "me" });
    expect(run("usage", { scope: null })).toEqual({ kind: "usage", scope: "me" });
    expect(run("usage", { scope: "server" })).toEqual({ kind: "usage", scope: "server" });
    expect(() => run("usage", { scope: "everyone" })).toThrow(
      /^Invalid option scope "everyone": .*"me".*"server"/,
    );
  });

  it("typed text fills the required text option, else a command's only option", () => {
    const typed = (name: string) => {
      const command = findCommand(name);
      return command ? typedTextOption(command.options)?.name : undefined;
    };
    expect(typed("video")).toBe("prompt");
    expect(typed("cancel")).toBe("job");
    expect(typed("usage")).toBe("scope");
    expect(typed("jobs")).toBeUndefined();
  });

  it("/video: options win over inline flags, flags fill the rest", () => {
    const action = run("video", {
      prompt: "a fox --ar 9:16 --dur 8 --seed 1",
      duration: 10,
      fast: true,
      audio: null,
    });
    expect(action).toEqual({
      kind: "generate",
      request: {
        mode: "text",
        tier: "fast",
        prompt: "a fox",
        referenceImages: [],
        referenceVideos: [],
        referenceAudios: [],
        aspectRatio: "9:16",
        duration: 10,
        seed: 1,
      },
    });
  });

  it("--private or the private option marks the action private; it is no part of the request", () => {
    const flagged = run("video", { prompt: "a harbour --private" });
    expect(flagged).toMatchObject({
      kind: "generate",
      private: true,
      request: { prompt: "a harbour" },
    });
    expect(run("video", { prompt: "a harbour", private: true })).toMatchObject({ private: true });
    expect(run("animate", { image, prompt: "walks", private: true })).toMatchObject({
      private: true,
    });
    expect(run("video", { prompt: "a harbour", private: false })).not.toHaveProperty("private");
  });

  it("--private in a message, a Remix or an Extend form is refused in words, not ignored", () => {
    const refusal = /^--private works with \/video, \/animate and \/reference/;
    expect(() => routeMessage({ text: "a harbour --private", attachments: [] })).toThrow(refusal);
    expect(() => extendOverrides("and then it rains --private")).toThrow(refusal);
  });

  it("--takes or the takes option asks for several videos; it is no part of the request", () => {
    const flagged = run("video", { prompt: "a harbour --takes 3" });
    expect(flagged).toEqual({
      kind: "generate",
      takes: 3,
      request: expect.objectContaining({ prompt: "a harbour" }),
    });
    if (flagged.kind !== "generate") throw new Error("not a generation");
    expect(flagged.request).not.toHaveProperty("takes");
    expect(run("video", { prompt: "a harbour --takes 3", takes: 2 })).toMatchObject({ takes: 2 });
    expect(run("animate", { image, prompt: "walks", takes: 4 })).toMatchObject({ takes: 4 });
    expect(run("reference", { prompt: "@Image1 walks", image1: image, takes: 2 })).toMatchObject({
      takes: 2,
    });
    expect(run("video", { prompt: "a harbour", takes: 1 })).not.toHaveProperty("takes");
    expect(() => run("video", { prompt: "a harbour --takes two" })).toThrow(
      "--takes two is not valid; use a whole number from 1.",
    );
    expect(() => run("video", { prompt: "a harbour --takes 0" })).toThrow(/--takes 0 is not valid/);
  });

  it("--takes in a message, a Remix or an Extend form is refused in words, not ignored", () => {
    const refusal = /^--takes 2 works with \/video, \/animate and \/reference/;
    expect(() => routeMessage({ text: "a harbour --takes 2", attachments: [] })).toThrow(refusal);
    expect(() => extendOverrides("and then it rains --takes 2")).toThrow(refusal);
  });

  it("/animate: start and end image, face flag on both", () => {
    const action = run("animate", { image, end_image: end, prompt: "walks", has_face: true });
    expect(action).toMatchObject({
      kind: "generate",
      request: {
        mode: "image",
        startImage: { url: image.url, hasFace: true },
        endImage: { url: end.url, hasFace: true },
      },
    });
  });

  it("/reference: files in option order become @Image1…, @Video1", () => {
    const action = run("reference", {
      prompt: "@Image1 meets @Image2 in @Video1",
      image1: image,
      image2: end,
      video1: clip,
    });
    expect(action).toMatchObject({
      request: {
        mode: "reference",
        referenceImages: [{ fileName: "a.png" }, { fileName: "b.png" }],
        referenceVideos: [{ fileName: "c.mp4" }],
      },
    });
  });

  it("/reference has_face (or --face in the prompt) marks the reference images and videos as faces", () => {
    for (const options of [{ has_face: true }, {}]) {
      const action = run("reference", {
        prompt: `@Video1 dances like @Image1${"has_face" in options ? "" : " --face"}`,
        image1: image,
        video1: clip,
        ...options,
      });
      expect(action).toMatchObject({
        request: {
          prompt: "@Video1 dances like @Image1",
          referenceImages: [{ fileName: "a.png", hasFace: true }],
          referenceVideos: [{ fileName: "c.mp4", hasFace: true }],
        },
      });
    }
    const plain = run("reference", { prompt: "@Video1", video1: clip });
    expect(plain).toMatchObject({ request: { referenceVideos: [{ fileName: "c.mp4" }] } });
    expect(JSON.stringify(plain)).not.toContain("hasFace");
  });

  it("/jobs and /cancel are actions, not generations", () => {
    expect(run("jobs", {})).toEqual({ kind: "list-jobs" });
    expect(run("cancel", { job: " job-1 " })).toEqual({ kind: "cancel", jobId: "job-1" });
  });

  it.each([
    ["video", { prompt: "x", duration: 30 }, /duration 30 is out of range; use 4–15 seconds/i],
    [
      "video",
      { prompt: "x", seed: -3 },
      /Invalid option seed -3: use a whole number from 0 to 2147483647\./,
    ],
    ["video", { prompt: "x", resolution: "8k" }, /Invalid option resolution "8k"/],
    [
      "animate",
      { prompt: "x" },
      /^\/animate needs an image: attach the first frame \(JPEG, PNG or WebP\) as `image`\./,
    ],
    ["animate", { prompt: "x", image: clip }, /image 1 \(c\.mp4\) is video\/mp4/i],
    ["reference", { prompt: "x" }, /needs at least one image or video/],
  ])("/%s %j → UserFacingError naming field, value and range", (name, raw, pattern) => {
    expect(() => run(name, raw)).toThrow(UserFacingError);
    expect(() => run(name, raw)).toThrow(pattern);
  });
});

describe("Animate message action", () => {
  it("animates the message's first image, the second is the end frame", () => {
    const action = animateMessage.run({ attachments: [clip, image, end], text: "zoom in --dur 5" });
    expect(action).toMatchObject({
      request: {
        mode: "image",
        prompt: "zoom in",
        duration: 5,
        startImage: { fileName: "a.png" },
        endImage: { fileName: "b.png" },
      },
    });
  });

  it("refuses a message without an image", () => {
    expect(() => animateMessage.check([clip])).toThrow(/no image to animate/);
  });
});
