import { afterEach, describe, expect, it } from "vitest";
import type { IdentityTimers } from "../../../adapters/slack/slack-identity.ts";
import { platformProblems } from "../../../src/chat/chat-adapter.ts";
import { registerReadiness } from "../../../src/server/http-server.ts";
import { eventEnvelope, mentionEvent, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { waitForJob } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** Timers that run only when the test says so. */
function steppedTimers(): IdentityTimers & { pending: Array<() => void>; runAll(): void } {
  const pending: Array<() => void> = [];
  return {
    pending,
    setTimeout: (callback) => pending.push(callback),
    clearTimeout: () => {},
    runAll() {
      for (const callback of pending.splice(0)) callback();
    },
  };
}

async function mention(current: SlackBot, text: string) {
  const { fake, alice } = current;
  const message = fake.userMessage(alice, `<@${fake.botUserId}> ${text}`);
  return await fake.send("event", eventEnvelope(fake, mentionEvent(fake, message)));
}

async function readiness(current: SlackBot) {
  const response = await fetch(`${current.baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function mountReadiness(current: SlackBot): void {
  registerReadiness(current.server, {
    storeHealthy: () => true,
    eventsConnected: () => true,
    platformProblems: () => platformProblems([current.adapter]),
  });
}

describe("Slack identity, learned once", () => {
  for (const socketMode of [false, true]) {
    it(`${socketMode ? "Socket Mode" : "HTTP"}: six requests, one auth.test (at start-up)`, async () => {
      bot = await startSlackBot({ socketMode, processBeforeResponse: true });
      const current = bot;
      for (const prompt of ["a fox", "a cat", "a crane", "an owl", "a whale"]) {
        expect((await mention(current, prompt)).status).toBe(200);
      }
      await current.fake.send("command", slashCommand(current.fake, current.alice, "/jobs", ""));
      await waitUntil(() => current.fake.calls.some((call) => call.kind === "respond"), {
        message: "/jobs answered",
      });
      await waitUntil(() => current.provider.submits.length === 5, { message: "five submits" });
      expect(current.provider.submits.map((submit) => submit.request.prompt).sort()).toEqual([
        "a cat",
        "a crane",
        "a fox",
        "a whale",
        "an owl",
      ]);
      expect(current.fake.callsTo("auth.test")).toHaveLength(1);
    });
  }

  it("auth.test failing at start: events are still handled, /readyz says degraded until a background retry learns it", async () => {
    const timers = steppedTimers();
    const { FakeSlack } = await import("../../fakes/fake-slack.ts");
    const fake = await FakeSlack.start();
    fake.failNext("auth.test", "internal_error");
    bot = await startSlackBot({ fake, identityTimers: timers, processBeforeResponse: true });
    const current = bot;
    mountReadiness(current);
    expect(current.adapter.identity).toEqual({});
    expect(current.adapter.readinessProblem()).toBeDefined();
    const before = await readiness(current);
    expect(before.status).toBe(200);
    expect(before.body.status).toBe("degraded");
    expect(String((before.body.platforms as Record<string, string>).slack)).toMatch(
      /auth\.test: internal_error.*retrying/,
    );

    // The mention is handled meanwhile, its prompt without the bot's own mention.
    expect((await mention(current, "a heron at dawn")).status).toBe(200);
    const job = await waitForJob(
      current.store,
      (candidate) => candidate.state === "delivered",
      "delivered",
    );
    expect(job.request.prompt).toBe("a heron at dawn");
    expect(current.fake.callsTo("auth.test")).toHaveLength(1);

    // The retry (a stepped timer) learns it; from then on the bot is ready.
    expect(timers.pending).toHaveLength(1);
    timers.runAll();
    await waitUntil(() => current.adapter.readinessProblem() === undefined, { message: "learned" });
    expect(current.adapter.identity).toEqual({
      botUserId: fake.botUserId,
      botId: fake.botId,
      teamId: fake.teamId,
    });
    const after = await readiness(current);
    expect(after.body).toMatchObject({ status: "ready" });
    expect(after.body.platforms).toBeUndefined();
    expect(current.fake.callsTo("auth.test")).toHaveLength(2);
  });

  it("a retry that fails again is scheduled again, and stays reported", async () => {
    const timers = steppedTimers();
    const { FakeSlack } = await import("../../fakes/fake-slack.ts");
    const fake = await FakeSlack.start();
    fake.failNext("auth.test", "service_unavailable");
    fake.failNext("auth.test", "ratelimited");
    bot = await startSlackBot({ fake, identityTimers: timers });
    const current = bot;
    timers.runAll();
    await waitUntil(() => timers.pending.length === 1, { message: "second retry scheduled" });
    expect(current.adapter.readinessProblem()).toMatch(/ratelimited/);
    timers.runAll();
    await waitUntil(() => current.adapter.readinessProblem() === undefined, { message: "learned" });
    expect(current.fake.callsTo("auth.test")).toHaveLength(3);
  });
});
