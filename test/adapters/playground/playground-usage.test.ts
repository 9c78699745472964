import { afterEach, describe, expect, it } from "vitest";
import type { Entry } from "../../../adapters/playground/index.ts";
import {
  type MetricsEndpoint,
  startMetricsEndpoint,
} from "../../observability/metrics-endpoint.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { clientId, PlaygroundClient } from "./playground-client.ts";
import { type PlaygroundStack, startPlaygroundStack } from "./playground-stack.ts";

let stack: PlaygroundStack | undefined;
let endpoint: MetricsEndpoint | undefined;
afterEach(async () => {
  await stack?.close();
  await endpoint?.close();
  stack = undefined;
  endpoint = undefined;
});

const budget = { dailySecondsPerUser: 60 };
const resets = /\nResets: 00:00 UTC, in (\d+ h )?\d+ min$/;

async function delivered(active: PlaygroundStack, count: number): Promise<void> {
  await waitUntil(
    async () =>
      (await active.service.jobsFor("playground", "local", 50)).filter(
        (job) => job.state === "delivered",
      ).length >= count,
    { message: `${count} delivered video(s)` },
  );
}

/** The bot's answer to a message typed in the composer. */
async function answerTo(client: PlaygroundClient, threadId: string, text: string) {
  const answer = await client.sendMessage(threadId, text);
  const entry = answer.body.entries?.find((candidate) => candidate.kind !== "message");
  return { status: answer.status, entry: entry as Extract<Entry, { text: string }> | undefined };
}

describe("playground /usage (real HTTP, real service, simulator, budget)", () => {
  it("shows the local user's seconds against the budget, videos, spend and reset in the thread", async () => {
    stack = await startPlaygroundStack({ delayMs: 40, policy: budget });
    const client = new PlaygroundClient(stack.baseUrl);
    const threadId = clientId();
    await client.sendMessage(threadId, "/video a paper boat --dur 4");
    await client.sendMessage(threadId, "a lighthouse at dusk --dur 6");
    await delivered(stack, 2);

    const mine = await answerTo(client, threadId, "/usage");
    expect(mine.status).toBe(200);
    expect(mine.entry).toMatchObject({ kind: "notice", threadId });
    expect(mine.entry?.text).toMatch(resets);
    expect(mine.entry?.text.replace(resets, "")).toBe(
      [
        "📊 Your usage today",
        "Seconds of video: 10 s of 60 s (17%), 50 s left",
        "Videos: 2",
        "Spent: free",
      ].join("\n"),
    );

    // The local user is the playground's admin: the server view is theirs too.
    const server = await answerTo(client, threadId, "/usage server");
    expect(server.entry?.kind).toBe("notice");
    expect(server.entry?.text.split("\n").slice(0, 2)).toEqual([
      "📊 This playground's usage today (you are its only user)",
      "Seconds of video: 10 s of 60 s (17%), 50 s left",
    ]);
  });

  it("`/usage everyone` is answered inline, naming the option, the value and the choices", async () => {
    stack = await startPlaygroundStack({ delayMs: 40 });
    const client = new PlaygroundClient(stack.baseUrl);
    const refused = await answerTo(client, clientId(), "/usage everyone");
    expect(refused.status).toBe(422);
    expect(refused.entry).toMatchObject({ kind: "error" });
    expect(refused.entry?.text).toMatch(/^Invalid option scope "everyone": .*"me".*"server"/);
  });

  it("each answered message is an acknowledgement at /metrics", async () => {
    endpoint = await startMetricsEndpoint();
    const metrics = endpoint;
    stack = await startPlaygroundStack({
      delayMs: 40,
      metrics: (service, store) => metrics.wire(service, store),
    });
    const client = new PlaygroundClient(stack.baseUrl);
    await answerTo(client, clientId(), "/usage");
    await answerTo(client, clientId(), "/jobs");
    expect(await endpoint.scrape()).toContain(
      'seedance_acknowledgement_seconds_count{platform="playground"} 2',
    );
  });
});
