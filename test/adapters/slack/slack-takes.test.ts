import { afterEach, describe, expect, it } from "vitest";
import { jobStates } from "../../../src/jobs/job.ts";
import type { JobStore } from "../../../src/jobs/job-store.ts";
import type { FakeSlack } from "../../fakes/fake-slack.ts";
import { slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, cardTitle, completedUploads, privateNotes, waitForJob } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function takesIn(store: JobStore) {
  const jobs = await store.listByStates(jobStates);
  return jobs.toSorted((first, second) => (first.take?.index ?? 0) - (second.take?.index ?? 0));
}

/** Which take each shared video says it is. */
function sharedTakes(fake: FakeSlack): string[] {
  return completedUploads(fake).map((upload) => /Take \d of \d/.exec(upload.comment)?.[0] ?? "");
}

describe("Slack /video --takes (real Bolt app, real service)", () => {
  it("/video --takes 3: three labelled cards, each video once in its card's thread", async () => {
    bot = await startSlackBot();
    const { fake, alice, store } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", "a night ferry --takes 3"));
    await waitUntil(async () => (await takesIn(store)).length === 3, { message: "three takes" });
    await waitUntil(async () => (await takesIn(store)).every((job) => job.state === "delivered"), {
      message: "every take delivered",
    });
    const jobs = await takesIn(store);
    expect(jobs.map((job) => job.take)).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ]);
    expect(new Set(bot.provider.submits.map((submit) => submit.request.seed)).size).toBe(3);
    expect(completedUploads(fake)).toHaveLength(3);
    expect(sharedTakes(fake).toSorted()).toEqual(["Take 1 of 3", "Take 2 of 3", "Take 3 of 3"]);
    for (const job of jobs) {
      const card = cardOf(fake, job.id);
      expect(job.statusMessageId).toBe(card?.ts);
      const upload = completedUploads(fake).find((shared) => shared.threadTs === card?.ts);
      expect(upload?.comment).toContain(`Take ${job.take?.index} of 3`);
      await waitUntil(() => cardTitle(fake, job.id) === `✅ Done · Take ${job.take?.index} of 3`, {
        message: `take ${job.take?.index}'s card to say done`,
      });
    }
  });

  it("refuses takes that together overspend the daily budget, starting none, with the seconds left", async () => {
    bot = await startSlackBot({ policy: { dailySecondsPerUser: 20 } });
    const { fake, alice, store } = bot;
    await fake.send(
      "command",
      slashCommand(fake, alice, "/video", "a night ferry --takes 3 --dur 8"),
    );
    await waitUntil(() => privateNotes(fake).some((note) => note.includes("takes")), {
      message: "the refusal",
    });
    expect(privateNotes(fake).find((note) => note.includes("takes"))).toMatch(
      /^These 3 takes need 24 s together \(3 × 8 s\), but your daily budget of 20 s has 20 s left \(resets at 00:00 UTC, in .+\); none of them was started\.$/,
    );
    expect(await store.listByStates(jobStates)).toEqual([]);
    expect(bot.provider.submits).toEqual([]);
  });

  it("restarted while one take's video was being shared: every take is shared once, and the retried command adds none", async () => {
    const settings = { deliveryBackoffMs: { initialMs: 60_000, maxMs: 60_000 } };
    // Answers wait for the listener here, so "answered" means "handled".
    bot = await startSlackBot({ settings, processBeforeResponse: true });
    const { fake, alice, store } = bot;
    // Slack takes one share but the answer is lost: that take waits a minute to try again.
    fake.failNext("files.completeUploadExternal", "fatal_error", { afterApplying: true });
    const command = slashCommand(fake, alice, "/video", "a night ferry --takes 3");
    await fake.send("command", command);
    await waitForJob(
      store,
      (found) => found.attempts === 1 && found.state === "delivering",
      "a lost share",
    );
    await waitUntil(
      async () => (await takesIn(store)).filter((job) => job.state === "delivered").length === 2,
      { message: "the other two takes delivered" },
    );

    bot = await bot.restart();
    await waitUntil(async () => (await takesIn(store)).every((job) => job.state === "delivered"), {
      message: "every take delivered",
    });
    await bot.fake.send("command", command);
    expect(await takesIn(store)).toHaveLength(3);
    expect(bot.provider.submits).toHaveLength(0);
    // The lost share was found after the restart, not made again: one video per take.
    expect(completedUploads(fake)).toHaveLength(3);
    expect(sharedTakes(fake).toSorted()).toEqual(["Take 1 of 3", "Take 2 of 3", "Take 3 of 3"]);
  });
});
