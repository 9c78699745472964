import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CardEntry } from "../../../adapters/playground/index.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { clientId, type EventLog, PlaygroundClient } from "./playground-client.ts";
import { type PlaygroundStack, startPlaygroundStack } from "./playground-stack.ts";

const media = join(import.meta.dirname, "..", "..", "fixtures", "media");

describe("playground API", () => {
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

  async function cardDone(threadId: string, count = 1): Promise<CardEntry[]> {
    await waitUntil(
      () => {
        const cards = events.cards(threadId);
        return cards.length === count && cards.every((card) => card.phase === "done");
      },
      { message: `${count} finished card(s)` },
    );
    return events.cards(threadId);
  }

  it("makes one job for duplicate POSTs of the same client request id", async () => {
    const body = {
      clientRequestId: clientId(),
      threadId: clientId(),
      text: "/video a boat --dur 4",
    };
    const answers = await Promise.all([
      client.post("/api/messages", body),
      client.post("/api/messages", body),
    ]);
    const again = await client.post("/api/messages", body);
    const jobIds = [...answers, again].map(
      (answer) => answer.body.entries?.find((entry) => entry.kind === "card")?.jobId,
    );
    expect(new Set(jobIds).size).toBe(1);
    await cardDone(body.threadId);
    expect(events.inThread(body.threadId).filter((entry) => entry.kind === "message")).toHaveLength(
      1,
    );
    expect(stack.submissions()).toBe(1);
  });

  it("takes: the composer's field (or --takes) makes that many labelled cards, and a repeated POST adds none", async () => {
    const body = {
      clientRequestId: clientId(),
      threadId: clientId(),
      text: "/video a boat --dur 4",
      takes: 3,
    };
    await client.post("/api/messages", body);
    await client.post("/api/messages", body);
    const cards = await cardDone(body.threadId, 3);
    expect(cards.map((card) => card.take).toSorted()).toEqual([
      "Take 1 of 3",
      "Take 2 of 3",
      "Take 3 of 3",
    ]);
    expect(cards.every((card) => card.videoUrl !== undefined)).toBe(true);
    expect(stack.submissions()).toBe(3);

    const flagged = {
      clientRequestId: clientId(),
      threadId: clientId(),
      text: "/video a kite --takes 2",
    };
    await client.post("/api/messages", flagged);
    expect((await cardDone(flagged.threadId, 2)).map((card) => card.take).toSorted()).toEqual([
      "Take 1 of 2",
      "Take 2 of 2",
    ]);
    const tooMany = await client.post("/api/messages", {
      ...body,
      clientRequestId: clientId(),
      takes: 9,
    });
    expect(JSON.stringify(tooMany.body)).toContain(
      "takes 9 is out of range; choose a whole number from 1 to 4.",
    );
  });

  it("checks uploads from their bytes: a real PNG under a wrong name is an image, text posing as PNG is refused", async () => {
    const png = await readFile(join(media, "tiny.png"));
    const accepted = await client.upload(png, "holiday.jpg");
    expect(accepted.status).toBe(201);
    expect(accepted.body.attachment).toMatchObject({
      contentType: "image/png",
      kind: "image",
      fileName: "holiday.jpg",
    });
    const refused = await client.upload(Buffer.from("<script>alert(1)</script>"), "cat.png");
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toMatch(
      /cat\.png is not a type the models read; attach JPEG, PNG or WebP/,
    );
    const huge = await client.upload(Buffer.alloc(50 * 1024 * 1024 + 1), "big.mp4");
    expect(huge.status).toBe(413);
  });

  it("animates an uploaded image, and a Remix reuses the image and prompt with new flags", async () => {
    const threadId = clientId();
    const upload = await client.upload(await readFile(join(media, "tiny.png")), "boat.png");
    const sent = await client.sendMessage(threadId, "/animate the boat sails --dur 4", {
      attachmentIds: [upload.body.attachment?.id],
    });
    expect(sent.status).toBe(200);
    const [card] = await cardDone(threadId);
    expect(card).toMatchObject({ mode: "image to video", remixText: "the boat sails --dur 4" });
    expect(card?.inputs).toHaveLength(1);
    const preview = await client.bytes(card?.inputs[0]?.previewUrl ?? "");
    expect(preview.headers["content-type"]).toBe("image/png");

    await client.sendMessage(threadId, "--dur 6", { replyToJobId: card?.jobId });
    const cards = await cardDone(threadId, 2);
    const remix = await stack.service.getJob(cards[1]?.jobId ?? "");
    expect(remix?.request).toMatchObject({ mode: "image", prompt: "the boat sails", duration: 6 });
    const original = (await stack.service.getJob(card?.jobId ?? ""))?.request.startImage;
    expect(remix?.request.startImage?.url).toBe(original?.url);
    // The upload's link expires with the hour, and the job knows when (a late Remix is refused).
    const expiry = (original?.expiresAt ?? 0) - Date.now();
    expect(expiry).toBeGreaterThan(55 * 60_000);
    expect(expiry).toBeLessThanOrEqual(60 * 60_000);
  });

  it("plays the delivered video from the bot's disk, with byte ranges", async () => {
    const threadId = clientId();
    await client.sendMessage(threadId, "/video a boat --dur 4");
    const [card] = await cardDone(threadId);
    const whole = await client.bytes(card?.videoUrl ?? "");
    expect(whole.headers["content-type"]).toBe("video/mp4");
    const part = await new PlaygroundClient(stack.baseUrl, { range: "bytes=0-99" }).bytes(
      card?.videoUrl ?? "",
    );
    expect(part.status).toBe(206);
    expect(part.bytes.equals(whole.bytes.subarray(0, 100))).toBe(true);
    expect((await client.bytes("api/videos/nosuchjob")).status).toBe(404);
  });

  it("shows the delivered video's poster frame, a JPEG from the bot's disk", async () => {
    const threadId = clientId();
    await client.sendMessage(threadId, "/video a boat at dusk --dur 4");
    const [card] = await cardDone(threadId);
    expect(card?.posterUrl).toBe(`api/posters/${card?.jobId}`);
    const poster = await client.bytes(card?.posterUrl ?? "");
    expect(poster.headers["content-type"]).toBe("image/jpeg");
    expect(poster.bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await client.bytes("api/posters/nosuchjob")).status).toBe(404);
  });

  it("lists /jobs and cancels with /cancel <id>", async () => {
    const slow = await startPlaygroundStack({ delayMs: 60_000 });
    try {
      const slowClient = new PlaygroundClient(slow.baseUrl);
      const threadId = clientId();
      const sent = await slowClient.sendMessage(threadId, "/video a slow boat --dur 4");
      const jobId = sent.body.entries?.find((entry) => entry.kind === "card")?.jobId ?? "";
      const listed = await slowClient.sendMessage(threadId, "/jobs");
      expect(listed.body.entries?.[1]).toMatchObject({
        kind: "jobs",
        jobs: [{ jobId, phase: "queued" }],
      });
      const cancelled = await slowClient.sendMessage(threadId, `/cancel ${jobId}`);
      expect(cancelled.body.entries?.[1]).toMatchObject({
        kind: "notice",
        text: `Cancelled job ${jobId}.`,
      });
      expect((await slow.service.getJob(jobId))?.state).toBe("cancelled");
      const again = await slowClient.sendMessage(threadId, `/cancel ${jobId}`);
      expect(again.status).toBe(422);
      expect(again.body.entries?.[1]).toMatchObject({
        kind: "error",
        text: expect.stringMatching(/already cancelled/),
      });
    } finally {
      await slow.close();
    }
  });

  it("refuses malformed requests with 400 and names the field", async () => {
    const answer = await client.post("/api/messages", {
      clientRequestId: "x",
      threadId: clientId(),
      text: "hi",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toMatch(/clientRequestId/);
    const reaction = await client.post("/api/reactions", {
      clientRequestId: clientId(),
      jobId: "abc",
      emoji: "🔁",
    });
    expect(reaction.status).toBe(422);
    expect(reaction.body.error?.message).toMatch(/No job abc/);
  });
});
