import { afterEach, describe, expect, it } from "vitest";
import { buttonClick, slashCommand } from "../../fakes/fake-slack-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import { type SlackBot, startSlackBot } from "./slack-harness.ts";
import { cardOf, privateNotes, waitForJob, waitForUploads } from "./slack-views.ts";

let bot: SlackBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

describe("a repeated Slack click makes one job, never two charges (issue 11)", () => {
  it("Regenerate clicked twice on a finished card: one new take, one provider submit, the second told privately", async () => {
    bot = await startSlackBot();
    const { fake, alice } = bot;
    await fake.send("command", slashCommand(fake, alice, "/video", "a glass of lemonade"));
    const parent = await waitForJob(bot.store, () => true, "the first job");
    await waitForUploads(fake, 1);
    await waitUntil(() =>
      JSON.stringify(cardOf(fake, parent.id)?.blocks).includes(`regenerate:${parent.id}`),
    );
    const card = cardOf(fake, parent.id);
    if (!card) throw new Error("no card");
    await Promise.all([
      fake.send("interactive", buttonClick(fake, alice, card, `regenerate:${parent.id}`)),
      fake.send("interactive", buttonClick(fake, alice, card, `regenerate:${parent.id}`)),
    ]);
    await waitUntil(() => privateNotes(fake).some((note) => note.includes("You already asked")), {
      message: "the second click's private answer",
    });
    await waitForUploads(fake, 2);
    const takes = (await bot.store.listByUser("slack", alice.id, 10)).filter(
      (job) => job.parentJobId === parent.id,
    );
    expect(takes).toHaveLength(1);
    expect(bot.provider.submits).toHaveLength(2);
  });
});
