import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientId, PlaygroundClient } from "../adapters/playground/playground-client.ts";
import {
  type PlaygroundStack,
  startPlaygroundStack,
} from "../adapters/playground/playground-stack.ts";
import { waitUntil } from "../support/wait-until.ts";
import { jpg, longPrompt, mp3, oversizePng, png } from "./support/hostile-media.ts";

let stack: PlaygroundStack;
let client: PlaygroundClient;
beforeAll(async () => {
  stack = await startPlaygroundStack({ delayMs: 40 });
  client = new PlaygroundClient(stack.baseUrl);
});
afterAll(async () => {
  await stack.close();
});

async function uploaded(bytes: Buffer, name: string): Promise<string> {
  const answer = await client.upload(bytes, name);
  expect(answer.status).toBe(201);
  return answer.body.attachment?.id ?? "";
}

/** Sends a message; the answer's error entry is what the thread shows under it. */
async function refusal(text: string, attachmentIds: string[] = []) {
  const answer = await client.sendMessage(clientId(), text, { attachmentIds });
  const error = answer.body.entries?.find((entry) => entry.kind === "error");
  return { status: answer.status, text: error && "text" in error ? error.text : undefined };
}

describe("bad input in the playground: messages, answered in the thread, nothing made", () => {
  it.each<[string, string, () => Promise<string[]>, RegExp]>([
    [
      "a 5001-character prompt",
      longPrompt,
      async () => [],
      /The prompt is 5001 characters; the limit is 5000/,
    ],
    [
      // The page's own body check used to answer "Invalid request: text: Too big" from 6,000 on.
      "a 6500-character prompt",
      "a".repeat(6500),
      async () => [],
      /The prompt is 6500 characters; the limit is 5000\. Shorten it by 1500/,
    ],
    ["an empty message", "", async () => [], /The prompt is empty/],
    [
      "an unknown flag",
      "a cat --motion 3",
      async () => [],
      /Unknown flag --motion; valid flags are --ar/,
    ],
    [
      "an unknown command",
      "/dance a cat",
      async () => [],
      /Unknown command \/dance; use one of \/video, \/animate, \/reference, \/jobs, \/cancel/,
    ],
    [
      "duration 3",
      "/video a cat --dur 3",
      async () => [],
      /--dur 3 is not valid; use 4–15 seconds or auto/,
    ],
    [
      "duration 16",
      "/video a cat --dur 16",
      async () => [],
      /--dur 16 is not valid; use 4–15 seconds or auto/,
    ],
    [
      "1080p on the fast tier",
      "/video a cat --fast --res 1080p",
      async () => [],
      /Resolution 1080p is not available on the fast tier/,
    ],
    [
      "@Image5 with two images",
      "@Image5 waves",
      async () => [await uploaded(png, "a.png"), await uploaded(jpg, "b.jpg")],
      /mentions @Image5 but only @Image1–@Image2 exist/,
    ],
    [
      "audio alone",
      "sing along",
      async () => [await uploaded(mp3, "song.mp3")],
      /Audio needs at least one reference image or video/,
    ],
    [
      "audio given to /animate",
      "/animate dance",
      async () => [await uploaded(png, "a.png"), await uploaded(mp3, "song.mp3")],
      /\/animate cannot use song\.mp3 \(audio\)/,
    ],
    [
      "an attachment id that was never uploaded",
      "zoom in",
      async () => ["made-up-id"],
      /An attachment has expired or is unknown; attach it again/,
    ],
    [
      "a 31 MB image",
      "zoom in",
      async () => [await uploaded(oversizePng(), "big.png")],
      /Image 1 \(big\.png\) is 31 MB; the limit is 30 MB per image/,
    ],
  ])("%s", async (_name, text, attachments, pattern) => {
    const answer = await refusal(text, await attachments());
    expect(answer.status).toBe(422);
    expect(answer.text).toMatch(pattern);
    expect(stack.submissions()).toBe(0);
  });
});

describe("after all of that", () => {
  it("the playground still makes a video for a good request", async () => {
    const threadId = clientId();
    const events = await client.events();
    try {
      await client.sendMessage(threadId, "/video a calm lake --dur 4");
      await waitUntil(() => events.cards(threadId).some((card) => card.phase === "done"), {
        message: "the video",
      });
      expect(stack.submissions()).toBe(1);
    } finally {
      events.close();
    }
  });
});
