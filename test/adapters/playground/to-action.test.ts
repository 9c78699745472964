import { describe, expect, it } from "vitest";
import { toAction } from "../../../adapters/playground/to-action.ts";
import type { IncomingMedia } from "../../../commands/index.ts";
import { UserFacingError } from "../../../src/errors.ts";

function file(fileName: string, contentType: string): IncomingMedia {
  return { url: `http://127.0.0.1/media/${fileName}`, fileName, contentType, sizeBytes: 1000 };
}

const cat = file("cat.png", "image/png");
const dog = file("dog.jpg", "image/jpeg");
const clip = file("clip.mp4", "video/mp4");
const song = file("song.mp3", "audio/mpeg");

function request(text: string, attachments: IncomingMedia[] = []) {
  const action = toAction({ text, attachments });
  if (action.kind !== "generate") throw new Error(`expected a generation, got ${action.kind}`);
  return action.request;
}

describe("toAction (playground messages → shared commands)", () => {
  it("runs /video with the rest of the text as the prompt, flags included", () => {
    expect(request("/video a paper boat --dur 4")).toMatchObject({
      mode: "text",
      prompt: "a paper boat",
      duration: 4,
    });
  });

  it("gives /animate the first image as start frame and the second as end frame", () => {
    const animated = request("/animate it sails away --ar 9:16", [cat, dog]);
    expect(animated).toMatchObject({ mode: "image", prompt: "it sails away", aspectRatio: "9:16" });
    expect(animated.startImage?.fileName).toBe("cat.png");
    expect(animated.endImage?.fileName).toBe("dog.jpg");
  });

  it("fills /reference's image, video and audio options by kind, in order", () => {
    const reference = request("/reference @Image1 dances to @Audio1 like @Video1", [
      cat,
      clip,
      song,
      dog,
    ]);
    expect(reference.mode).toBe("reference");
    expect(reference.referenceImages?.map((media) => media.fileName)).toEqual([
      "cat.png",
      "dog.jpg",
    ]);
    expect(reference.referenceVideos?.map((media) => media.fileName)).toEqual(["clip.mp4"]);
    expect(reference.referenceAudios?.map((media) => media.fileName)).toEqual(["song.mp3"]);
  });

  it("routes mention-style text like the other platforms: an image makes image-to-video", () => {
    expect(request("make it move --dur 5", [cat])).toMatchObject({ mode: "image", duration: 5 });
    expect(request("a red fox")).toMatchObject({ mode: "text", prompt: "a red fox" });
  });

  it("reuses the replied job's prompt and inputs for a Remix without its own", () => {
    const action = toAction({
      text: "--dur 8",
      attachments: [],
      replied: { prompt: "a cat", attachments: [cat] },
    });
    expect(action).toMatchObject({
      kind: "generate",
      request: { mode: "image", prompt: "a cat", duration: 8 },
    });
  });

  it("maps /jobs and /cancel", () => {
    expect(toAction({ text: "/jobs", attachments: [] })).toEqual({ kind: "list-jobs" });
    expect(toAction({ text: "/cancel abc123", attachments: [] })).toEqual({
      kind: "cancel",
      jobId: "abc123",
    });
  });

  it("maps /usage: your own by default, the typed scope otherwise", () => {
    expect(toAction({ text: "/usage", attachments: [] })).toEqual({ kind: "usage", scope: "me" });
    expect(toAction({ text: "/usage server", attachments: [] })).toEqual({
      kind: "usage",
      scope: "server",
    });
  });

  it.each([
    ["/animate with no image", "/animate it moves", [], /image/],
    ["a file the command does not take", "/video a boat", [cat], /\/video cannot use cat\.png/],
    ["an unknown command", "/dance a boat", [], /Unknown command \/dance; use one of \/video/],
    ["a bad flag value", "/video a boat --dur 99", [], /--dur 99 is not valid/],
  ])("refuses %s with words the user can act on", (_case, text, attachments, message) => {
    expect(() => toAction({ text, attachments })).toThrow(UserFacingError);
    expect(() => toAction({ text, attachments })).toThrow(message);
  });
});
