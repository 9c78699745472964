import { afterEach, describe, expect, it } from "vitest";
import { buttonClick, slashCommand } from "../../fakes/fake-discord-payloads.ts";
import { waitUntil } from "../../support/wait-until.ts";
import {
  type Bot,
  ephemeralTexts,
  startBot,
  waitForJob,
  waitForUploads,
} from "./discord-harness.ts";

const bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0).reverse()) await bot.stop();
});

describe("a repeated click makes one job, never two charges (issue 11)", () => {
  it("a double click on Regenerate: one new job, one provider submit, the second click told privately", async () => {
    const bot = await startBot();
    bots.push(bot);
    const { fake, alice } = bot;
    slashCommand(fake, "video", { prompt: "a paper boat on a river" }, { user: alice });
    await waitForUploads(fake, 1);
    const parent = await waitForJob(bot.store, () => true, "the first job");
    const result = [...fake.messages.values()].find((message) =>
      message.attachments.some((file) => file.filename.endsWith(".mp4")),
    );
    if (!result) throw new Error("no result message");

    const first = buttonClick(fake, `regenerate:${parent.id}`, result, { user: alice });
    const second = buttonClick(fake, `regenerate:${parent.id}`, result, { user: alice });

    // The second click is told privately that its first click is on its way.
    await waitUntil(
      () =>
        ephemeralTexts(fake.calls.filter((call) => call.path.includes(`token-${second.id}`)))
          .length > 0,
      { message: "the second click's private answer" },
    );
    const [answer] = ephemeralTexts(
      fake.calls.filter((call) => call.path.includes(`token-${second.id}`)),
    );
    expect(answer).toBe(
      `You already asked for a new take of job ${parent.id} a moment ago; that one is on its way (see /jobs), so nothing more was made or charged.`,
    );
    await waitForUploads(fake, 2);
    const takes = (await bot.store.listByUser("discord", alice.id, 10)).filter(
      (job) => job.parentJobId === parent.id,
    );
    expect(takes).toHaveLength(1);
    expect(bot.provider.submits).toHaveLength(2);
    expect(fake.calls.some((call) => call.path.includes(`token-${first.id}`))).toBe(true);
  });
});
