import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CardEntry } from "../../../adapters/playground/index.ts";
import { lastFrameBytes } from "../../support/media-probe.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { clientId, type EventLog, PlaygroundClient } from "./playground-client.ts";
import { type PlaygroundStack, startPlaygroundStack } from "./playground-stack.ts";

const media = join(import.meta.dirname, "..", "..", "fixtures", "media");

describe("playground: Loop", () => {
  let stack: PlaygroundStack;
  let client: PlaygroundClient;
  let events: EventLog;

  beforeEach(async () => {
    stack = await startPlaygroundStack({ delayMs: 40 });
    client = new PlaygroundClient(stack.baseUrl);
    events = await client.events();
  });

  afterEach(async () => {
    events.close();
    await stack.close();
  });

  async function cardsDone(threadId: string, count = 1): Promise<CardEntry[]> {
    await waitUntil(
      () => {
        const cards = events.cards(threadId);
        return cards.length === count && cards.every((card) => card.phase === "done");
      },
      { message: `${count} finished card(s)` },
    );
    return events.cards(threadId);
  }

  it("/animate --loop sends the uploaded image as start and end frame", async () => {
    const threadId = clientId();
    const upload = await client.upload(await readFile(join(media, "tiny.png")), "wave.png");
    const sent = await client.sendMessage(threadId, "/animate the wave curls --loop", {
      attachmentIds: [upload.body.attachment?.id],
    });
    expect(sent.status).toBe(200);
    await cardsDone(threadId);
    const [submit] = stack.submits;
    expect(submit?.request.prompt).toBe("the wave curls");
    expect(submit?.request.startImage?.url).toBeTruthy();
    expect(submit?.request.endImage).toEqual(submit?.request.startImage);
  });

  it("refuses --loop without an image, in the thread", async () => {
    const threadId = clientId();
    const sent = await client.sendMessage(threadId, "a spinning top --loop");
    expect(JSON.stringify(sent.body)).toMatch(/--loop needs a start image/);
    expect(stack.submits).toEqual([]);
  });
});

describe("playground: Extend and Stitch", () => {
  let stack: PlaygroundStack;
  let client: PlaygroundClient;
  let events: EventLog;

  beforeEach(async () => {
    stack = await startPlaygroundStack({ delayMs: 40 });
    client = new PlaygroundClient(stack.baseUrl);
    events = await client.events();
  });

  afterEach(async () => {
    events.close();
    await stack.close();
  });

  async function doneCards(threadId: string, count: number): Promise<CardEntry[]> {
    await waitUntil(
      () => {
        const cards = events.cards(threadId);
        return cards.length === count && cards.every((card) => card.phase === "done");
      },
      { message: `${count} finished card(s)` },
    );
    return events.cards(threadId);
  }

  it("Extend starts from the last frame of the video in the same thread; Stitch joins the chain for free", async () => {
    const threadId = clientId();
    await client.sendMessage(threadId, "/video a lighthouse at dusk");
    const [first] = await doneCards(threadId, 1);
    const extended = await client.post("/api/actions", {
      clientRequestId: clientId(),
      jobId: first?.jobId,
      action: "extend",
      text: "the storm arrives",
    });
    expect(extended.status).toBe(200);
    const cards = await doneCards(threadId, 2);
    const second = cards.find((card) => card.extendsJobId === first?.jobId);
    expect(second?.parentJobId).toBe(first?.jobId);
    const request = stack.submits[1]?.request;
    expect(request).toMatchObject({ mode: "image", prompt: "the storm arrives" });
    const framePath = stack.mediaHost.resolveLocalPath(request?.startImage?.url ?? "");
    const firstJob = await stack.service.getJob(first?.jobId ?? "");
    expect(await readFile(framePath ?? "")).toEqual(lastFrameBytes(firstJob?.videoPath ?? ""));

    const stitched = await client.post("/api/actions", {
      clientRequestId: clientId(),
      jobId: second?.jobId,
      action: "stitch",
    });
    expect(stitched.status).toBe(200);
    const all = await doneCards(threadId, 3);
    const joined = all.find((card) => card.stitchOf !== undefined);
    expect(joined?.stitchOf).toEqual([first?.jobId, second?.jobId]);
    expect(joined?.videoUrl).toBeTruthy();
    expect(stack.submits).toHaveLength(2);
  });
});
