import { afterEach, describe, expect, it } from "vitest";
import { createMemoryCoordination } from "../../../src/coordination/memory-coordination.ts";
import type { Job } from "../../../src/jobs/job.ts";
import { resultUrlFor } from "../../../src/providers/simulator/simulated-job.ts";
import type { RecordedCall } from "../../fakes/fake-discord.ts";
import { slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type Bot, cardTitle, startBot, uploads } from "./discord-harness.ts";

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const jobsInThread = 16;
const jobsInChannel = 8;
const settings = { maxJobsPerUser: 0 };

/** Calls by route, with ids and tokens replaced, for a readable failure. */
function byRoute(calls: readonly RecordedCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const route = `${call.method} ${call.path.replace(/\/\d{5,}/g, "/:id").replace(/\/webhooks\/:id\/[^/]+/, "/webhooks/:id/:token")}`;
    counts[route] = (counts[route] ?? 0) + 1;
  }
  return counts;
}

describe("Discord: recovering many jobs after a restart spends the calls a user notices", () => {
  it("one upload and one card edit per job, and a few channel reads shared by all the jobs of a channel", async () => {
    const coordination = createMemoryCoordination();
    // Jobs that stay at the provider until the restart: the first process only shows their cards.
    bot = await startBot({ delayMs: 3_600_000, settings, coordination });
    const { fake, store, alice } = bot;
    for (let index = 0; index < jobsInThread + jobsInChannel; index++) {
      slashCommand(
        fake,
        "video",
        { prompt: `boat number ${index}` },
        { user: alice, inThread: index < jobsInThread },
      );
    }
    const total = jobsInThread + jobsInChannel;
    let shown: Job[] = [];
    await waitUntil(
      async () => {
        shown = (await store.listByStates(["queued", "running"])).filter(
          (job) => job.statusMessageId !== undefined,
        );
        return shown.length === total;
      },
      { message: "every card shown" },
    );
    await bot.stop(false);

    // While the bot was down: two thirds finished at the provider, a third was being posted.
    for (const [index, job] of shown.entries()) {
      const succeeded = await store.transition(job.id, {
        from: [job.state],
        to: "succeeded",
        patch: { resultUrl: resultUrlFor(job.providerJobId ?? ""), completedAt: Date.now() },
      });
      if (index % 3 === 0 && succeeded)
        await store.transition(job.id, { from: ["succeeded"], to: "delivering" });
    }
    const before = fake.calls.length;
    bot = await startBot({ fake, store, settings, coordination });
    await waitUntil(
      () => shown.every((job) => cardTitle(fake, job.statusMessageId ?? "")?.includes("Done")),
      { message: "every card done" },
    );
    const calls = fake.calls.slice(before);
    const counts = byRoute(calls);

    // Exactly once: one video per job, in its own place.
    const posted = uploads(fake);
    expect(posted).toHaveLength(total);
    // One card edit per job (its final state), never the passing "fetching" or "posting" ones.
    const cardEdits = calls.filter((call) => call.method === "PATCH");
    expect(cardEdits).toHaveLength(total);
    // The resumed deliveries of a channel share their reads of it: at most two per channel.
    const reads = calls.filter((call) => call.method === "GET" && call.path.endsWith("/messages"));
    expect(reads.length, JSON.stringify(counts)).toBeLessThanOrEqual(4);
    // In all: one post and one edit per job, plus the reads and the bot's own user.
    expect(calls.length, JSON.stringify(counts)).toBeLessThanOrEqual(2 * total + 6);
  });
});
