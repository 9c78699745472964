import { describe, expect, it } from "vitest";
import type { IncomingMedia } from "../../commands/incoming-media.ts";
import { routeMessage } from "../../commands/route-message.ts";
import { UserFacingError } from "../../src/errors.ts";

const megabyte = 1024 * 1024;

function file(fileName: string, contentType?: string, sizeBytes = 1000): IncomingMedia {
  return {
    url: `https://cdn.example/${fileName}`,
    fileName,
    sizeBytes,
    ...(contentType ? { contentType } : {}),
  };
}

const cat = file("cat.png", "image/png");
const dog = file("dog.jpg", "image/jpeg");
const owl = file("owl.webp", "image/webp");
const clip = file("clip.mp4", "video/mp4");
const song = file("song.mp3", "audio/mpeg");

describe("routeMessage", () => {
  it.each([
    ["no media → text", { text: "a fox", attachments: [] }, { mode: "text", images: 0 }],
    [
      "one image → image",
      { text: "it runs", attachments: [cat] },
      { mode: "image", start: "cat.png" },
    ],
    [
      "two images → image with end frame",
      { text: "morph", attachments: [cat, dog] },
      { mode: "image", start: "cat.png", end: "dog.jpg" },
    ],
    [
      "three images → reference",
      { text: "all three", attachments: [cat, dog, owl] },
      { mode: "reference", images: 3 },
    ],
    [
      "a video → reference",
      { text: "like this", attachments: [cat, clip] },
      { mode: "reference", images: 1, videos: 1 },
    ],
    [
      "audio → reference",
      { text: "to the beat", attachments: [cat, song] },
      { mode: "reference", audios: 1 },
    ],
    [
      "@Image1 token → reference",
      { text: "@Image1 waves", attachments: [cat] },
      { mode: "reference", images: 1 },
    ],
    [
      "reply without media → the replied images",
      { text: "make it move", attachments: [], repliedAttachments: [cat, dog] },
      { mode: "image", start: "cat.png", end: "dog.jpg" },
    ],
    [
      "reply with its own image → that image, not the replied ones",
      { text: "this one", attachments: [owl], repliedAttachments: [cat] },
      { mode: "image", start: "owl.webp" },
    ],
    [
      "--end on a reply → replied image starts, own image ends",
      { text: "go --end", attachments: [owl], repliedAttachments: [cat] },
      { mode: "image", start: "cat.png", end: "owl.webp" },
    ],
    [
      "type from the file name when the platform gives none",
      { text: "x", attachments: [file("photo.JPG")] },
      { mode: "image", start: "photo.JPG" },
    ],
  ])("%s", (_name, message, expected) => {
    const request = routeMessage(message);
    expect(request.mode).toBe(expected.mode);
    if ("start" in expected) expect(request.startImage?.fileName).toBe(expected.start);
    if ("end" in expected) expect(request.endImage?.fileName).toBe(expected.end);
    if ("images" in expected) expect(request.referenceImages ?? []).toHaveLength(expected.images);
    if ("videos" in expected) expect(request.referenceVideos).toHaveLength(expected.videos);
    if ("audios" in expected) expect(request.referenceAudios).toHaveLength(expected.audios);
  });

  it("carries flags, type, size and face into the request", () => {
    const request = routeMessage({
      text: "she smiles --face --ar 9:16 --dur 5 --fast",
      attachments: [cat],
    });
    expect(request).toMatchObject({
      mode: "image",
      tier: "fast",
      prompt: "she smiles",
      aspectRatio: "9:16",
      duration: 5,
      startImage: { url: cat.url, contentType: "image/png", sizeBytes: 1000, hasFace: true },
    });
  });

  it("uses the fallback prompt when the text has none", () => {
    const request = routeMessage({
      text: " --dur 6 ",
      attachments: [cat],
      fallbackPrompt: "a dancing cat",
    });
    expect(request).toMatchObject({ prompt: "a dancing cat", duration: 6 });
  });

  it.each([
    [
      "an unsupported file",
      { text: "x", attachments: [file("doc.pdf", "application/pdf")] },
      /doc\.pdf is application\/pdf; attach images/,
    ],
    [
      "a GIF",
      { text: "x", attachments: [file("a.gif", "image/gif")] },
      /image 1 \(a\.gif\) is image\/gif; use image\/jpeg, image\/png, image\/webp/i,
    ],
    [
      "an image over 30 MB",
      { text: "x", attachments: [file("big.png", "image/png", 31 * megabyte)] },
      /big\.png\) is 31 MB; the limit is 30 MB per image/,
    ],
    ["an empty prompt", { text: "--dur 5", attachments: [] }, /prompt is empty/],
    [
      "@Image2 with one image",
      { text: "@Image2 waves", attachments: [cat] },
      /mentions @Image2 but only @Image1–@Image1 exist/,
    ],
    [
      "1080p on the fast tier",
      { text: "x --fast --res 1080p", attachments: [] },
      /1080p is not available on the fast tier/,
    ],
    [
      "--end without a start image",
      { text: "x --end", attachments: [cat] },
      /--end needs a start and an end image/,
    ],
    ["an unknown flag", { text: "x --motion 3", attachments: [] }, /Unknown flag --motion/],
    [
      "audio alone",
      { text: "x", attachments: [song] },
      /audio needs at least one reference image or video/i,
    ],
  ])("refuses %s before anything is sent", (_name, message, pattern) => {
    expect(() => routeMessage(message)).toThrow(UserFacingError);
    expect(() => routeMessage(message)).toThrow(pattern);
  });
});
