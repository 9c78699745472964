import { describe, expect, it } from "vitest";
import {
  buildFfmpegArguments,
  escapeFilterValue,
  readPromptTriggers,
  wrapCaption,
} from "../../../src/providers/simulator/index.ts";

describe("prompt triggers", () => {
  it("reads [fail], [fail:face] and [slow] in any case, and strips them from the caption", () => {
    expect(readPromptTriggers("a boat [FAIL] at sea [slow]")).toEqual({
      failure: "provider",
      slow: true,
      caption: "a boat at sea",
    });
    expect(readPromptTriggers("[fail] a face [Fail:Face]").failure).toBe("face");
    expect(readPromptTriggers("a fail [failed] slow").failure).toBe("none");
    expect(readPromptTriggers("a fail [failed] slow").slow).toBe(false);
  });
});

describe("ffmpeg filter text", () => {
  it("escapes for the option parser, then for the filtergraph parser", () => {
    expect(escapeFilterValue("plain text")).toBe("plain text");
    expect(escapeFilterValue("a:b")).toBe(String.raw`a\\:b`);
    expect(escapeFilterValue("it's")).toBe(String.raw`it\\\'s`);
    expect(escapeFilterValue(String.raw`a\b`)).toBe(String.raw`a\\\\b`);
    expect(escapeFilterValue("[x],y;z")).toBe(String.raw`\[x\]\,y\;z`);
  });

  it("wraps captions by words, cutting long words and marking truncation", () => {
    expect(wrapCaption("a paper boat on a calm lake", 12, 3)).toEqual([
      "a paper boat",
      "on a calm",
      "lake",
    ]);
    expect(wrapCaption("abcdefghij", 4, 3)).toEqual(["abcd", "efgh", "ij"]);
    expect(wrapCaption("one two three four five six", 7, 2)).toEqual(["one two", "three…"]);
    expect(wrapCaption("line\nbreak\tand\u0007bell", 40, 3)).toEqual(["line break and bell"]);
    expect(wrapCaption("   ", 10, 3)).toEqual([]);
  });

  it("builds a fast, small, H.264 + AAC command with a SIMULATED badge", () => {
    const args = buildFfmpegArguments({
      ffmpegPath: "ffmpeg",
      outputPath: "/tmp/out.mp4",
      caption: "a boat",
      durationSeconds: 5,
      aspectRatio: "9:16",
      withAudio: true,
    });
    const graph = args[args.indexOf("-filter_complex") + 1] ?? "";
    expect(args).toContain(
      "gradients=s=180x320:d=5:r=24:c0=0x1e3a8a:c1=0x7c3aed:c2=0x0f766e:nb_colors=3:speed=0.02",
    );
    expect(graph).toContain("[0:v]null,");
    expect(graph).toContain("text=SIMULATED");
    expect(graph).toContain("text=a boat");
    expect(args).toEqual(expect.arrayContaining(["ultrafast", "libx264", "aac", "yuv420p"]));
    expect(args.at(-1)).toBe("file:/tmp/out.mp4");
  });

  it("zooms into a picture when one is given", () => {
    const args = buildFfmpegArguments({
      ffmpegPath: "ffmpeg",
      outputPath: "/tmp/out.mp4",
      caption: "",
      durationSeconds: 4,
      imagePath: "/tmp/picture.png",
      withAudio: false,
    });
    const graph = args[args.indexOf("-filter_complex") + 1] ?? "";
    expect(args.slice(0, args.indexOf("-filter_complex"))).toContain("file:/tmp/picture.png");
    expect(graph).toMatch(/zoompan=z=1\+0\.25\*on\/96:.*:d=96:s=320x180/);
    expect(graph).not.toContain(":text=:");
    expect(args).not.toContain("aac");
  });
});
