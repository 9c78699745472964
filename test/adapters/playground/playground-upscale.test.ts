import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CardEntry } from "../../../adapters/playground/index.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { clientId, type EventLog, PlaygroundClient } from "./playground-client.ts";
import { type PlaygroundStack, startPlaygroundStack } from "./playground-stack.ts";

describe("playground: Upscale", () => {
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

  it("Upscale makes the same prompt and seed at the highest resolution, in the thread; then offers no more", async () => {
    const threadId = clientId();
    await client.sendMessage(threadId, "a red fox in snow --seed 42");
    const [first] = await doneCards(threadId, 1);
    expect(first?.upscaleTo).toBe("4k");
    const upscaled = await client.post("/api/actions", {
      clientRequestId: clientId(),
      jobId: first?.jobId,
      action: "upscale",
    });
    expect(upscaled.status).toBe(200);
    const cards = await doneCards(threadId, 2);
    const second = cards.find((card) => card.jobId !== first?.jobId);
    expect(second?.parentJobId).toBe(first?.jobId);
    expect(second?.upscaleTo).toBeUndefined();
    expect(second?.videoUrl).toBeTruthy();
    expect(stack.submits[1]?.request).toMatchObject({
      prompt: "a red fox in snow",
      seed: 42,
      resolution: "4k",
    });
  });

  it("a result already at the highest resolution offers no Upscale, and a request anyway is refused in the thread", async () => {
    const threadId = clientId();
    await client.sendMessage(threadId, "a tall tree --res 4k");
    const [card] = await doneCards(threadId, 1);
    expect(card?.upscaleTo).toBeUndefined();
    const refused = await client.post("/api/actions", {
      clientRequestId: clientId(),
      jobId: card?.jobId,
      action: "upscale",
    });
    expect(JSON.stringify(refused.body)).toMatch(/already at 4k, the highest resolution/);
    expect(stack.submits).toHaveLength(1);
  });
});
